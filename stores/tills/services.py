"""Writes of tills, API clients, the org's enforcement settings and suggested groups.

Every change a decision depends on (a till's secret or status, a client's revocation, the org's
switches) is a column the enforcement query reads on every request, so it takes effect on the next
request in every process without any cache to invalidate.
"""

import re
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken

from accessadmin import audit
from accessadmin.errors import Conflict, Forbidden, InvalidInput
from accessadmin.models import Org
from accessadmin.policies import may_use_name
from accessadmin.services import check_namespace
from groups import services as group_services
from groups.models import AccessGroup

from ..enforcement import credentials
from ..models import ApiClient, Store, Till
from . import policies, selectors

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _require(check, actor, message: str) -> None:
    if actor is not None and not check(actor):
        raise Forbidden(message, code="permission_denied")


def _till_state(till: Till) -> dict:
    return {"code": till.code, "store": till.store.code, "active": till.is_active}


def _next_code(org: Org, store: Store) -> str:
    """Returns the first free `<store code>-t<n>`, inside the org's namespace: stores whose code does not
    start with the org's get `<org code>-<store code>-t<n>`."""
    base = store.code if may_use_name(None, org, f"{store.code}-t1") else f"{org.code}-{store.code}"
    taken = set(Till.objects.filter(code__startswith=f"{base}-t").values_list("code", flat=True))
    n = 1
    while f"{base}-t{n}" in taken:
        n += 1
    return f"{base}-t{n}"


@transaction.atomic
def till_create(*, actor, org: Org, store: Store, code: str = "", secret: str | None = None,
                secret_hash: str | None = None) -> tuple[Till, str]:
    """Returns the new till of `store` and its secret (shown once; only a hash is kept).

    `secret_hash`, when given, must be credentials.hash_secret(secret): bulk seeding hashes one shared
    demo secret once instead of once per till.
    """
    _require(policies.can_manage_tills, actor, "You may not manage tills.")
    if store.org_id != org.pk:
        raise InvalidInput("The store belongs to another organization.", code="store_not_found")
    code = (code or "").strip() or _next_code(org, store)
    if not CODE_RE.match(code):
        raise InvalidInput("Till code must be 1–100 letters, digits, dots, dashes or underscores.",
                           code="invalid_code", fields={"code": ["Invalid till code."]})
    # Till codes are the Basic user name, unique across orgs like user names: each org has its namespace.
    check_namespace(actor=actor, org=org, name=code, field="code")
    if Till.objects.filter(code=code).exists():
        raise Conflict(f"A till with code {code!r} exists.", code="duplicate_code",
                       fields={"code": ["This code is taken."]})
    secret = secret or credentials.new_secret()
    try:
        with transaction.atomic():
            till = Till.objects.create(org=org, store=store, code=code,
                                       secret_hash=secret_hash or credentials.hash_secret(secret))
    except IntegrityError:
        raise Conflict(f"A till with code {code!r} exists.", code="duplicate_code") from None
    audit.record(org=org, actor=actor, action="till.create", target=till, after=_till_state(till))
    return till, secret


@transaction.atomic
def till_rotate_secret(*, actor, org: Org, till: Till) -> tuple[Till, str]:
    """Returns the till and its new secret (shown once). The old secret stops working at once."""
    _require(policies.can_manage_tills, actor, "You may not manage tills.")
    till = Till.objects.select_for_update().select_related("store").get(pk=till.pk, org=org)
    secret = credentials.new_secret()
    till.secret_hash = credentials.hash_secret(secret)
    till.secret_rotated_at = timezone.now()
    till.save(update_fields=["secret_hash", "secret_rotated_at", "updated_at"])
    audit.record(org=org, actor=actor, action="till.rotate_secret", target=till, after={"rotated": True})
    return till, secret


@transaction.atomic
def till_set_active(*, actor, org: Org, till: Till, active: bool) -> Till:
    """Returns the till (de)activated. A deactivated till gets 401 from its next request on."""
    _require(policies.can_manage_tills, actor, "You may not manage tills.")
    till = Till.objects.select_for_update().select_related("store").get(pk=till.pk, org=org)
    if till.is_active != active:
        before = _till_state(till)
        till.is_active = active
        till.save(update_fields=["is_active", "updated_at"])
        audit.record(org=org, actor=actor, action="till.activate" if active else "till.deactivate", target=till,
                     before=before, after=_till_state(till))
    return till


def _client_group(org: Org, group: AccessGroup) -> AccessGroup:
    if group is None or not (group.org_id is None or group.org_id == org.pk):
        raise InvalidInput("Choose an access group.", code="access_group_required",
                           fields={"access_group": ["Required."]})
    if not group.is_active:
        raise Conflict(f"{group.name} is inactive; activate it first.", code="group_inactive")
    return group


@transaction.atomic
def api_client_create(*, actor, org: Org, name: str, access_group: AccessGroup,
                      secret: str | None = None) -> tuple[ApiClient, str]:
    """Returns the new API client and its client secret (shown once; the OAuth2 application keeps a hash).
    `secret` is for demo data only; callers leave it out and get a random one."""
    _require(policies.can_manage_api_clients, actor, "You may not manage API clients.")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput("Name is required (at most 100 characters).", code="name_required",
                           fields={"name": ["1–100 characters."]})
    if access_group is not None:  # locked like group_deactivate does: a group never goes inactive under a new client
        access_group = AccessGroup.objects.select_for_update().get(pk=access_group.pk)
    group = _client_group(org, access_group)
    if ApiClient.objects.filter(org=org, name__iexact=name, is_active=True).exists():
        raise Conflict(f"An API client named {name!r} exists.", code="duplicate_name",
                       fields={"name": ["This name is taken."]})
    secret = secret or secrets.token_urlsafe(32)
    app = Application.objects.create(
        name=f"{org.code}: {name}", client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS, client_secret=secret,
        hash_client_secret=True, user=None, redirect_uris="")
    client = ApiClient.objects.create(org=org, name=name, application=app, client_id=app.client_id,
                                      access_group=group, created_by=actor if actor and actor.pk else None)
    audit.record(org=org, actor=actor, action="api_client.create", target=client,
                 after={"name": name, "client_id": client.client_id, "access_group": group.name})
    return client, secret


@transaction.atomic
def api_client_set_group(*, actor, org: Org, client: ApiClient, access_group: AccessGroup) -> ApiClient:
    _require(policies.can_manage_api_clients, actor, "You may not manage API clients.")
    client = ApiClient.objects.select_for_update().select_related("access_group").get(pk=client.pk, org=org)
    group = _client_group(org, access_group)
    if client.access_group_id != group.pk:
        before = client.access_group.name
        client.access_group = group
        client.save(update_fields=["access_group"])
        audit.record(org=org, actor=actor, action="api_client.set_group", target=client,
                     before={"access_group": before}, after={"access_group": group.name})
    return client


@transaction.atomic
def api_client_revoke(*, actor, org: Org, client: ApiClient) -> ApiClient:
    """Returns the client revoked: its OAuth2 application and every token are deleted (next request: 401)."""
    _require(policies.can_manage_api_clients, actor, "You may not manage API clients.")
    client = ApiClient.objects.select_for_update().get(pk=client.pk, org=org)
    if not client.is_active:
        return client
    if client.application_id:
        RefreshToken.objects.filter(application_id=client.application_id).delete()
        AccessToken.objects.filter(application_id=client.application_id).delete()
        Application.objects.filter(pk=client.application_id).delete()
    client.is_active = False
    client.application = None
    client.revoked_at = timezone.now()
    client.save(update_fields=["is_active", "application", "revoked_at"])
    audit.record(org=org, actor=actor, action="api_client.revoke", target=client, before={"active": True},
                 after={"active": False})
    return client


@transaction.atomic
def org_enforcement_update(*, actor, org: Org, basic_auth_enabled: bool | None = None,
                           enforcement_mode: str | None = None) -> Org:
    """Returns the org with Basic auth switched and/or its enforcement mode changed."""
    _require(policies.can_change_enforcement, actor, "You may not change enforcement settings.")
    org = Org.objects.select_for_update().get(pk=org.pk)
    before = {"basic_auth_enabled": org.basic_auth_enabled, "enforcement_mode": org.enforcement_mode}
    if basic_auth_enabled is not None:
        if not isinstance(basic_auth_enabled, bool):
            raise InvalidInput("basic_auth_enabled must be true or false.", code="invalid_basic_auth_enabled")
        org.basic_auth_enabled = basic_auth_enabled
    if enforcement_mode is not None:
        if enforcement_mode not in Org.EnforcementMode.values:
            raise InvalidInput(f"enforcement_mode must be one of {', '.join(Org.EnforcementMode.values)}.",
                               code="invalid_enforcement_mode",
                               fields={"enforcement_mode": [", ".join(Org.EnforcementMode.values)]})
        org.enforcement_mode = enforcement_mode
    after = {"basic_auth_enabled": org.basic_auth_enabled, "enforcement_mode": org.enforcement_mode}
    if after != before:
        org.save(update_fields=["basic_auth_enabled", "enforcement_mode"])
        audit.record(org=org, actor=actor, action="org.enforcement", target=org, before=before, after=after)
    return org


@transaction.atomic
def group_from_usage(*, actor, org: Org, store: Store, name: str, days: int = 30, description: str = "",
                     allocate: bool = False) -> tuple[AccessGroup, frozenset]:
    """Returns a new custom group holding exactly the cells the store's tills used in the last `days` days
    (and allocates the store to it when `allocate`). Refused when they used nothing."""
    _require(policies.can_suggest_groups, actor, "You may not manage access groups.")
    grants = selectors.suggested_grants(org=org, store=store, days=days)
    if not grants:
        raise Conflict(f"The tills of {store.code} made no requests in the last {days} days.", code="no_usage")
    description = description or f"Least privilege for {store.code}: what its tills used in {days} days."
    group, _warnings = group_services.group_create(actor=actor, org=org, name=name, description=description,
                                                   grants=grants)
    if allocate:
        group_services.stores_allocate(actor=actor, org=org, group=group, store_codes=[store.code])
    return group, grants
