"""Pages of tills, API clients, the org's enforcement settings and the usage log.

Secrets are rendered once, in the response to the POST that made them (never stored in the session,
never shown again), with caching turned off.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accessadmin.caching import no_store
from accessadmin.errors import AppError
from accessadmin.forms import apply_error
from accessadmin.pages import page_view, paginate, query_without_page
from groups import cells as cellsmod
from groups import selectors as group_selectors
from stores import selectors as store_selectors

from . import policies, selectors, services
from .forms import ApiClientForm, EnforcementForm, SuggestGroupForm, TillCreateForm

OUTCOMES = [("", "Any outcome"), ("allowed", "Allowed"), ("denied", "Denied"), ("would_deny", "Would deny")]


def _once(request, template, context):
    return no_store(render(request, template, context))


def _days(request, default=30) -> int:
    try:
        return min(max(int(request.GET.get("days", default)), 1), 365)
    except ValueError:
        return default


# --- tills -------------------------------------------------------------------------------------------------

@page_view(policies.can_manage_tills)
def till_list(request):
    search = request.GET.get("q", "").strip()
    store_code = request.GET.get("store", "").strip()
    store = store_selectors.store_get(actor=request.user, org=request.org, code=store_code) if store_code else None
    page = paginate(request, selectors.till_list(org=request.org, store=store, search=search))
    return render(request, "stores/till_list.html", {
        "page": page, "q": search, "store": store, "query": query_without_page(request),
        "default": group_selectors.default_group(org=request.org)})


@page_view(policies.can_manage_tills)
def till_create(request):
    form = TillCreateForm(request.POST or None, user=request.user, org=request.org,
                          initial={"store": request.GET.get("store")})
    if request.method == "POST" and form.is_valid():
        try:
            till, secret = services.till_create(actor=request.user, org=request.org,
                                                store=form.cleaned_data["store"], code=form.cleaned_data["code"])
        except AppError as e:
            apply_error(form, e)
        else:
            return _once(request, "stores/till_secret.html", {"till": till, "secret": secret, "created": True})
    return render(request, "stores/till_form.html", {"form": form})


@page_view(policies.can_manage_tills)
def till_detail(request, code):
    till = selectors.till_get(org=request.org, code=code)
    explained = selectors.effective_permissions(org=request.org, till=till)
    history = (selectors.scope_audit(org=request.org, till=till))[:20]
    return render(request, "stores/till_detail.html", {"till": till, "explained": explained, "history": history})


@require_POST
@page_view(policies.can_manage_tills)
def till_rotate(request, code):
    till = selectors.till_get(org=request.org, code=code)
    till, secret = services.till_rotate_secret(actor=request.user, org=request.org, till=till)
    return _once(request, "stores/till_secret.html", {"till": till, "secret": secret, "created": False})


@require_POST
@page_view(policies.can_manage_tills)
def till_set_active(request, code, active):
    till = selectors.till_get(org=request.org, code=code)
    services.till_set_active(actor=request.user, org=request.org, till=till, active=active)
    messages.success(request, f"Till {till.code} {'activated' if active else 'deactivated'}.")
    return redirect("stores:till", code=till.code)


# --- API clients -------------------------------------------------------------------------------------------

@page_view(policies.can_manage_api_clients)
def api_client_list(request):
    search = request.GET.get("q", "").strip()
    page = paginate(request, selectors.api_client_list(org=request.org, search=search))
    return render(request, "stores/apiclient_list.html", {"page": page, "q": search,
                                                          "query": query_without_page(request)})


@page_view(policies.can_manage_api_clients)
def api_client_create(request):
    form = ApiClientForm(request.POST or None, org=request.org)
    if request.method == "POST" and form.is_valid():
        try:
            client, secret = services.api_client_create(actor=request.user, org=request.org,
                                                        name=form.cleaned_data["name"],
                                                        access_group=form.cleaned_data["access_group"])
        except AppError as e:
            apply_error(form, e)
        else:
            return _once(request, "stores/apiclient_secret.html", {"client": client, "secret": secret})
    return render(request, "stores/apiclient_form.html", {"form": form})


@require_POST
@page_view(policies.can_manage_api_clients)
def api_client_revoke(request, pk):
    client = selectors.api_client_get(org=request.org, pk=pk)
    services.api_client_revoke(actor=request.user, org=request.org, client=client)
    messages.success(request, f"API client {client.name} revoked; its tokens no longer work.")
    return redirect("stores:api-clients")


# --- enforcement settings and usage ------------------------------------------------------------------------

@page_view(policies.can_change_enforcement)
def enforcement_settings(request):
    org = request.org
    form = EnforcementForm(request.POST or None, initial={"basic_auth_enabled": org.basic_auth_enabled,
                                                          "enforcement_mode": org.enforcement_mode})
    if request.method == "POST" and form.is_valid():
        try:
            services.org_enforcement_update(actor=request.user, org=org,
                                            basic_auth_enabled=form.cleaned_data["basic_auth_enabled"],
                                            enforcement_mode=form.cleaned_data["enforcement_mode"])
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, "Enforcement settings saved. They apply from the next request.")
            return redirect("stores:enforcement")
    return render(request, "stores/enforcement_form.html", {"form": form, "org": org})


@page_view(policies.can_view_usage)
def usage_list(request):
    days = _days(request)
    outcome = request.GET.get("outcome", "")
    if outcome not in dict(OUTCOMES):
        outcome = ""
    store_code = request.GET.get("store", "").strip()
    rows = selectors.usage_summary(org=request.org, days=days, outcome=outcome, store_code=store_code)
    page = paginate(request, rows, per_page=50)
    stores = store_selectors.store_list(actor=request.user, org=request.org).values_list("code", flat=True)
    return render(request, "stores/usage_list.html", {
        "page": page, "days": days, "outcome": outcome, "store_code": store_code, "outcomes": OUTCOMES,
        "stores": stores, "query": query_without_page(request)})


@page_view(policies.can_view_usage)
def usage_suggest(request, code):
    store = store_selectors.store_get(actor=request.user, org=request.org, code=code)
    days = _days(request)
    grants = selectors.suggested_grants(org=request.org, store=store, days=days)
    resources = group_selectors.resource_list()
    form = SuggestGroupForm(request.POST or None, initial={"name": f"{store.code} least privilege"})
    if request.method == "POST" and form.is_valid():
        if not policies.can_suggest_groups(request.user):
            form.add_error(None, "You may not create access groups.")
        else:
            try:
                group, _ = services.group_from_usage(actor=request.user, org=request.org, store=store,
                                                     name=form.cleaned_data["name"], days=days,
                                                     description=form.cleaned_data["description"],
                                                     allocate=form.cleaned_data["allocate"])
            except AppError as e:
                apply_error(form, e)
            else:
                allocated = " and the store allocated to it" if form.cleaned_data["allocate"] else ""
                messages.success(request, f"Access group {group.name} created from {store.code}'s usage{allocated}.")
                return redirect("groups:detail", pk=group.pk)
    return render(request, "stores/usage_suggest.html", {
        "store": store, "days": days, "form": form, "cells": cellsmod.payload(grants, resources),
        "effective": store.access_group or group_selectors.default_group(org=request.org)})

