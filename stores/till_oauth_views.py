"""Pages of a till's OAuth2 client credentials: create (shown once, caching off) and revoke."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accessadmin.caching import no_store
from accessadmin.pages import page_view

from . import selectors, till_oauth
from .policies import can_manage_tills


@require_POST
@page_view(can_manage_tills)
def till_oauth_create(request, code):
    till = selectors.till_get(org=request.org, code=code)
    till, credentials = till_oauth.till_oauth_client_create(actor=request.user, org=request.org, till=till)
    return no_store(render(request, "stores/till_oauth_secret.html",
                           {"till": till, "credentials": credentials, "created": False}))


@require_POST
@page_view(can_manage_tills)
def till_oauth_revoke(request, code):
    till = selectors.till_get(org=request.org, code=code)
    till_oauth.till_oauth_client_revoke(actor=request.user, org=request.org, till=till)
    messages.success(request, f"The OAuth2 credentials of {till.code} are revoked; their tokens no longer work.")
    return redirect("stores:till", code=till.code)
