"""OAuth2 client credentials bound to a till (the source platform's roadmap: OAuth2 for POS integrations).

A till may hold one django-oauth-toolkit application (client credentials grant, secret hashed at rest as
for API clients). A token from `POST /oauth/token` for it acts as the till: enforcement resolves the till,
its store and the store's effective group on every request (enforcement/till_oauth.py), so deactivating
the till or moving its store changes the next request. Creating new credentials replaces the old ones
(their tokens end); deactivating the till deletes its tokens; revoking deletes the application.

When the org turns `basic_auth_for_new_tills` off, `till_create_with_credentials` gives a new till OAuth2
credentials only (stores.services.till_create stores no Basic secret then).
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken

from accessadmin import audit
from accessadmin.errors import Conflict, CoreErrorCode, Forbidden
from accessadmin.models import Org
from accessadmin.tenancy import scope

from .errors import StoresErrorCode
from .models import Store, Till
from .policies import can_manage_tills
from .services import till_create

# A till seen with Basic auth within this many days "still uses Basic auth".
BASIC_RECENT_DAYS = 30


@dataclass(frozen=True)
class OAuthCredentials:
    client_id: str
    client_secret: str  # shown once; the application keeps only a hash


def _require(actor) -> None:
    if actor is not None and not can_manage_tills(actor):
        raise Forbidden("You may not manage tills.", code=CoreErrorCode.PERMISSION_DENIED)


def _drop_application(application_id: int | None) -> None:
    """Deletes the application and every token issued for it (their next request gets 401)."""
    if application_id:
        RefreshToken.objects.filter(application_id=application_id).delete()
        AccessToken.objects.filter(application_id=application_id).delete()
        Application.objects.filter(pk=application_id).delete()


@transaction.atomic
def till_oauth_client_create(*, actor, org: Org, till: Till) -> tuple[Till, OAuthCredentials]:
    """Returns the till with new OAuth2 client credentials (the secret shown once). Credentials the till held
    before are revoked with their tokens. Refused for a deactivated till (409 till_inactive)."""
    _require(actor)
    till = (Till.objects.select_for_update(of=("self",)).select_related("store", "oauth_application")
            .get(pk=till.pk, org=org))
    if not till.is_active:
        raise Conflict(f"Till {till.code} is deactivated; activate it first.", code=StoresErrorCode.TILL_INACTIVE)
    previous = till.oauth_application.client_id if till.oauth_application_id else None
    _drop_application(till.oauth_application_id)
    secret = secrets.token_urlsafe(32)
    app = Application.objects.create(
        name=f"{org.code}: till {till.code}"[:255], client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS, client_secret=secret,
        hash_client_secret=True, user=None, redirect_uris="")
    till.oauth_application = app
    till.save(update_fields=["oauth_application", "updated_at"])
    audit.record(org=org, actor=actor, action="till.oauth_client_create", target=till,
                 before={"client_id": previous}, after={"client_id": app.client_id})
    return till, OAuthCredentials(app.client_id, secret)


@transaction.atomic
def till_oauth_client_revoke(*, actor, org: Org, till: Till) -> Till:
    """Returns the till without OAuth2 credentials: the application and its tokens are deleted."""
    _require(actor)
    till = (Till.objects.select_for_update(of=("self",)).select_related("store", "oauth_application")
            .get(pk=till.pk, org=org))
    if till.oauth_application_id is None:
        return till
    client_id = till.oauth_application.client_id
    _drop_application(till.oauth_application_id)
    till.oauth_application = None
    till.save(update_fields=["oauth_application", "updated_at"])
    audit.record(org=org, actor=actor, action="till.oauth_client_revoke", target=till,
                 before={"client_id": client_id}, after={"client_id": None})
    return till


@transaction.atomic
def till_create_with_credentials(*, actor, org: Org, store: Store, code: str = ""
                                 ) -> tuple[Till, str | None, OAuthCredentials | None]:
    """Returns the new till with its credentials, shown once: the Basic secret when the org still gives new
    tills one, else OAuth2 client credentials only (`basic_auth_for_new_tills` off)."""
    till, secret = till_create(actor=actor, org=org, store=store, code=code)
    if secret is not None:
        return till, secret, None
    till, credentials = till_oauth_client_create(actor=actor, org=org, till=till)
    return till, None, credentials


def auth_method_counts(*, org: Org, now=None) -> dict:
    """Returns the org's active tills counted by how they authenticate: `basic_recent` (seen with Basic auth
    in the last BASIC_RECENT_DAYS days), `oauth_recent`, `with_basic_secret`, `with_oauth_client`, `total`.
    One query."""
    since = (now or timezone.now()) - timedelta(days=BASIC_RECENT_DAYS)
    return scope(Till.objects.filter(is_active=True), org).aggregate(
        total=Count("pk"),
        basic_recent=Count("pk", filter=Q(basic_last_used_at__gte=since)),
        oauth_recent=Count("pk", filter=Q(oauth_last_used_at__gte=since)),
        with_basic_secret=Count("pk", filter=~Q(secret_hash="")),
        with_oauth_client=Count("pk", filter=Q(oauth_application__isnull=False)),
    )

