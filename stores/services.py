"""Writes of stores (create, edit, per-store managers), their allocation to access groups, tills and
API clients.

Every change a decision depends on (a store's group, a till's secret or status, a client's revocation)
is a column the enforcement query reads on every request, so it takes effect on the next request in
every process without any cache to invalidate.

Locking: allocation takes the target group's row lock first (groups.services.group_lock), like every
writer that could add stores to a group, so no interleaving can leave an inactive group with stores.
"""

import re
import secrets
from collections import Counter

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm
from oauth2_provider.models import AccessToken, Application, RefreshToken

from accessadmin import audit, versions
from accessadmin.errors import Conflict, CoreErrorCode, Forbidden, InvalidInput, NotFound
from accessadmin.models import Org, User
from accessadmin.policies import may_use_name
from accessadmin.services import check_namespace
from accessadmin.validation import clean_name
from groups import cells as cellsmod
from groups import selectors as group_selectors
from groups import services as group_services
from groups import store_counts
from groups.models import AccessGroup
from groups.policies import check_can_receive_stores

from . import credentials
from .errors import StoresErrorCode
from .models import ApiClient, Store, Till
from .policies import (
    MANAGE_STORE,
    can_create_store,
    can_delegate_stores,
    can_edit_store,
    can_manage_api_clients,
    can_manage_tills,
    manages_all_stores,
    may_allocate_to,
    stores_visible,
)


def _chunk() -> int:
    """Returns how many stores one statement names: SQLite limits a statement's parameters (32,766 by default,
    fewer in old builds); PostgreSQL takes 65,535, so 10,000 stores cost one round trip instead of five."""
    return 10_000 if connection.vendor == "postgresql" else 2000


CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$")
UNSET = object()


def _state(store: Store) -> dict:
    return {"code": store.code, "name": store.name, "city": store.city}


STORE_NAME_MAX_LENGTH = Store._meta.get_field("name").max_length
CITY_MAX_LENGTH = Store._meta.get_field("city").max_length
CLIENT_NAME_MAX_LENGTH = ApiClient._meta.get_field("name").max_length


def _clean_city(value: str) -> str:
    value = (value or "").strip()
    if len(value) > CITY_MAX_LENGTH:
        raise InvalidInput("city is too long.", code=StoresErrorCode.CITY_TOO_LONG,
                           fields={"city": [f"At most {CITY_MAX_LENGTH} characters."]})
    return value


@transaction.atomic
def store_create(*, actor, org: Org, code: str, name: str, city: str = "",
                 access_group: AccessGroup | None = None) -> Store:
    """Returns a new store of `org`, allocated to `access_group` when one is given."""
    if actor is not None and not can_create_store(actor):
        raise Forbidden("You may not create stores.", code=CoreErrorCode.PERMISSION_DENIED)
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise InvalidInput("Store code must be 1–50 letters, digits, dots, dashes or underscores.",
                           code=StoresErrorCode.INVALID_CODE, fields={"code": ["Invalid store code."]})
    name = clean_name(name, max_length=STORE_NAME_MAX_LENGTH)
    city = _clean_city(city)
    # Ignoring case, like the database constraint (ACME-S001 and acme-s001 are one store to people).
    if Store.objects.filter(org=org, code__iexact=code).exists():
        raise Conflict(f"A store with code {code!r} exists.", code=StoresErrorCode.DUPLICATE_CODE,
                       fields={"code": ["This code is taken."]})
    try:
        with transaction.atomic():
            store = Store.objects.create(org=org, code=code, name=name, city=city)
    except IntegrityError:
        raise Conflict(f"A store with code {code!r} exists.", code=StoresErrorCode.DUPLICATE_CODE) from None
    store_counts.apply(org_id=org.pk, deltas={None: 1})
    audit.record(org=org, actor=actor, action="store.create", target=store, after=_state(store))
    if access_group is not None:
        stores_allocate(actor=actor, org=org, group=access_group, store_codes=[code])
        store.refresh_from_db()
    return store


@transaction.atomic
def store_update(*, actor, org: Org, store: Store, name: str | None = None, city: str | None = None,
                 access_group=UNSET) -> Store:
    """Returns the store with the given fields changed; `access_group` None unallocates it."""
    if not can_edit_store(actor, store):
        raise NotFound()
    store = Store.objects.select_for_update().get(pk=store.pk)
    before = _state(store)
    if name is not None:
        store.name = clean_name(name, max_length=STORE_NAME_MAX_LENGTH)
    if city is not None:
        store.city = _clean_city(city)
    store.save(update_fields=["name", "city", "updated_at"])
    if before != _state(store):
        audit.record(org=org, actor=actor, action="store.update", target=store, before=before, after=_state(store))
    if access_group is not UNSET and (access_group.pk if access_group else None) != store.access_group_id:
        store_set_group(actor=actor, org=org, store=store, group=access_group)
        store.refresh_from_db()
    return store


def _manager(org: Org, username: str) -> User:
    user = User.objects.filter(org=org, username=username).first()
    if user is None:
        raise NotFound(f"No user {username!r} in this organization.", code=StoresErrorCode.USER_NOT_FOUND)
    return user


@transaction.atomic
def store_grant_manager(*, actor, org: Org, store: Store, username: str) -> User:
    """Returns the user now allowed to see, edit and allocate `store` (and only the stores granted)."""
    if not can_delegate_stores(actor):
        raise Forbidden("You may not delegate stores.", code=CoreErrorCode.PERMISSION_DENIED)
    user = _manager(org, username)
    assign_perm(MANAGE_STORE, user, store)
    audit.record(org=org, actor=actor, action="store.grant_manager", target=store, after={"user": user.username})
    return user


@transaction.atomic
def store_revoke_manager(*, actor, org: Org, store: Store, username: str) -> User:
    if not can_delegate_stores(actor):
        raise Forbidden("You may not delegate stores.", code=CoreErrorCode.PERMISSION_DENIED)
    user = _manager(org, username)
    remove_perm(MANAGE_STORE, user, store)
    audit.record(org=org, actor=actor, action="store.revoke_manager", target=store, before={"user": user.username})
    return user


# --- allocation to access groups ---------------------------------------------------------------------------

def _locked_stores(actor, org, codes) -> list[tuple[int, str, int | None]]:
    """Returns [(id, code, group id)] of the stores with those codes, in the order given, under their row
    locks (taken in id order, so overlapping allocations cannot deadlock). All or nothing: any code that is
    not one of the actor's stores refuses the lot."""
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c for c in codes):
        raise InvalidInput("stores must be a non-empty list of store codes.", code=StoresErrorCode.INVALID_STORES,
                           fields={"stores": ["A non-empty list of store codes."]})
    codes = list(dict.fromkeys(codes))
    visible = stores_visible(actor, org) if actor is not None else Store.objects.filter(org=org)
    found = {}
    chunk = _chunk()
    for start in range(0, len(codes), chunk):
        rows = (visible.filter(code__in=codes[start:start + chunk]).select_for_update(of=("self",))
                .order_by("pk").values_list("pk", "code", "access_group_id"))
        found.update({code: (pk, code, group_id) for pk, code, group_id in rows})
    missing = [c for c in codes if c not in found]
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        # The same answer for "no such store" and "not yours": nothing about other orgs leaks.
        raise NotFound(f"Unknown store: {shown}.", code=StoresErrorCode.STORE_NOT_FOUND,
                       extra={"missing": missing[:100]})
    return [found[c] for c in codes]


def _move(org: Org, rows, group_id: int | None) -> None:
    """Points the locked stores `rows` at `group_id` (None: no group) and keeps the per-group store counts:
    one UPDATE per _chunk() stores and one upsert of the counts, whatever the number of groups they left."""
    now = timezone.now()
    ids = [pk for pk, _, _ in rows]
    chunk = _chunk()
    for start in range(0, len(ids), chunk):
        Store.objects.filter(pk__in=ids[start:start + chunk]).update(access_group_id=group_id, updated_at=now)
    deltas = Counter()
    for _, _, before in rows:
        deltas[before] -= 1
    deltas[group_id] += len(rows)
    store_counts.apply(org_id=org.pk, deltas=deltas)
    versions.changed(org.pk)  # QuerySet.update sends no signal: the tills' decisions change (accessadmin.versions)


def _check_not_wider(*, actor, org: Org, rows, target: AccessGroup) -> None:
    """Raises 403 group_too_wide unless `actor` may move every store of `rows` ([(id, code, group id)]) to
    `target` (the decision is stores.policies.may_allocate_to; each distinct group's cells are read once)."""
    if actor is None or manages_all_stores(actor):
        return
    default_id = None
    current = {}
    for _, code, group_id in rows:
        if group_id is None:
            default_id = default_id or group_selectors.default_group(org=org).pk
            group_id = default_id
        if group_id != target.pk:
            current.setdefault(group_id, []).append(code)
    if not current:
        return
    resources = group_selectors.resource_list()
    groups = AccessGroup.objects.filter(pk__in=[target.pk, *current]).prefetch_related("cells__resource")
    grants = {g.pk: cellsmod.of_group(g, resources) for g in groups}
    refused = sorted(code for group_id, codes in current.items() for code in codes
                     if not may_allocate_to(actor, group_grants=grants[target.pk], current_grants=grants[group_id]))
    if refused:
        shown = ", ".join(refused[:10]) + (" …" if len(refused) > 10 else "")
        raise Forbidden(f"{target.name} allows more than the current group of {shown}; only Access control may "
                        "widen what a store's tills may do.", code=StoresErrorCode.GROUP_TOO_WIDE,
                        fields={"access_group": [f"{target.name} allows more than the store's current group."]},
                        extra={"stores": refused[:100]})


@transaction.atomic
def stores_allocate(*, actor, org: Org, group: AccessGroup, store_codes: list[str]) -> int:
    """Returns how many stores moved to `group`. All or nothing: any unknown code refuses the lot.

    Takes the target group's row lock, so a concurrent deactivation waits and then sees the stores; then the
    stores' row locks, so it knows which group each store leaves (the audit's "before" and the counts).
    One audit event per store moved (group.allocate on the group), written in one COPY.
    """
    group = group_services.group_lock(group=group)
    check_can_receive_stores(group)
    rows = _locked_stores(actor, org, store_codes)
    _check_not_wider(actor=actor, org=org, rows=rows, target=group)
    moving = [row for row in rows if row[2] != group.pk]
    if moving:
        _move(org, moving, group.pk)
        names = group_selectors.group_names(ids={before for _, _, before in moving if before is not None})
        audit.record_each(org=org, actor=actor, action="group.allocate", target=group, changes=[
            ({"store": code, "group": names.get(before)}, {"store": code, "group": group.name})
            for _, code, before in moving])
    return len(moving)


@transaction.atomic
def stores_unallocate(*, actor, org: Org, group: AccessGroup, store_codes: list[str]) -> int:
    """Returns how many stores left `group` (they fall back to the default). Every store must be in it."""
    group = group_services.group_lock(group=group)
    stores = _locked_stores(actor, org, store_codes)
    outside = [code for _, code, before in stores if before != group.pk]
    if outside:
        raise Conflict(f"Not allocated to {group.name}: {', '.join(outside[:10])}.",
                       code=StoresErrorCode.STORE_NOT_IN_GROUP,
                       extra={"stores": outside[:100]})
    # Unallocated stores act with the org's default group, which may be wider than this one.
    _check_not_wider(actor=actor, org=org, rows=stores, target=group_selectors.default_group(org=org))
    _move(org, stores, None)
    audit.record_each(org=org, actor=actor, action="group.unallocate", target=group, changes=[
        ({"store": code, "group": group.name}, {"store": code, "group": None}) for _, code, _ in stores])
    return len(stores)


@transaction.atomic
def store_set_group(*, actor, org: Org, store: Store, group: AccessGroup | None) -> None:
    """Allocates one store to `group`, or unallocates it (None). The store page's path to allocation."""
    if group is None:
        if store.access_group_id is not None:
            stores_unallocate(actor=actor, org=org, group=store.access_group, store_codes=[store.code])
    else:
        stores_allocate(actor=actor, org=org, group=group, store_codes=[store.code])


@transaction.atomic
def store_counts_check(*, org: Org, repair: bool = False) -> dict[int | None, int]:
    """Returns {group id or None: kept − real} for every group whose kept store count (groups.store_counts)
    differs from a real count of the org's stores; with `repair`, the kept counts become the real ones.

    Holds the counts' lock while it counts, so no allocation lands between the count and the comparison."""
    store_counts.lock(org_id=org.pk)
    real = dict(Store.objects.filter(org=org).order_by().values("access_group")
                .annotate(n=Count("pk")).values_list("access_group", "n"))
    if repair:
        return store_counts.rebuild(org_id=org.pk, counts=real)
    return store_counts.differences(org_id=org.pk, counts=real)


# --- tills and API clients ---------------------------------------------------------------------------------

TILL_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _require(check, actor, message: str) -> None:
    if actor is not None and not check(actor):
        raise Forbidden(message, code=CoreErrorCode.PERMISSION_DENIED)


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
                secret_hash: str | None = None) -> tuple[Till, str | None]:
    """Returns the new till of `store` and its secret (shown once; only a hash is kept), or None when the org
    gives new tills no Basic secret (`basic_auth_for_new_tills` off; stores.till_oauth adds OAuth2 credentials).

    `secret_hash`, when given, must be credentials.hash_secret(secret): bulk seeding hashes one shared
    demo secret once instead of once per till.
    """
    _require(can_manage_tills, actor, "You may not manage tills.")
    if store.org_id != org.pk:
        # Another org's store is a missing one (a guard: the selectors hand out the org's stores only).
        raise NotFound("The store belongs to another organization.", code=StoresErrorCode.STORE_NOT_FOUND)
    code = (code or "").strip() or _next_code(org, store)
    if not TILL_CODE_RE.match(code):
        raise InvalidInput("Till code must be 1–100 letters, digits, dots, dashes or underscores.",
                           code=StoresErrorCode.INVALID_CODE, fields={"code": ["Invalid till code."]})
    # Till codes are the Basic user name, unique across orgs like user names: each org has its namespace.
    check_namespace(actor=actor, org=org, name=code, field="code")
    if Till.objects.filter(code=code).exists():
        raise Conflict(f"A till with code {code!r} exists.", code=StoresErrorCode.DUPLICATE_CODE,
                       fields={"code": ["This code is taken."]})
    if org.basic_auth_for_new_tills:
        secret = secret or credentials.new_secret()
        secret_hash = secret_hash or credentials.hash_secret(secret)
    else:
        # The org gives new tills OAuth2 credentials only (stores.till_oauth): no Basic secret at all.
        secret, secret_hash = None, ""
    try:
        with transaction.atomic():
            till = Till.objects.create(org=org, store=store, code=code, secret_hash=secret_hash)
    except IntegrityError:
        raise Conflict(f"A till with code {code!r} exists.", code=StoresErrorCode.DUPLICATE_CODE) from None
    audit.record(org=org, actor=actor, action="till.create", target=till, after=_till_state(till))
    return till, secret


@transaction.atomic
def till_rotate_secret(*, actor, org: Org, till: Till) -> tuple[Till, str]:
    """Returns the till and its new secret (shown once). The old secret stops working at once."""
    _require(can_manage_tills, actor, "You may not manage tills.")
    till = Till.objects.select_for_update().select_related("store").get(pk=till.pk, org=org)
    if not till.secret_hash and not org.basic_auth_for_new_tills:
        raise Conflict(f"Till {till.code} has no Basic secret and the organization gives none to new tills; "
                       "use its OAuth2 client credentials.", code=StoresErrorCode.BASIC_SECRET_NOT_ALLOWED)
    secret = credentials.new_secret()
    till.secret_hash = credentials.hash_secret(secret)
    till.secret_rotated_at = timezone.now()
    till.save(update_fields=["secret_hash", "secret_rotated_at", "updated_at"])
    audit.record(org=org, actor=actor, action="till.rotate_secret", target=till, after={"rotated": True})
    return till, secret


@transaction.atomic
def till_set_active(*, actor, org: Org, till: Till, active: bool) -> Till:
    """Returns the till (de)activated. A deactivated till gets 401 from its next request on."""
    _require(can_manage_tills, actor, "You may not manage tills.")
    till = Till.objects.select_for_update().select_related("store").get(pk=till.pk, org=org)
    if till.is_active != active:
        before = _till_state(till)
        till.is_active = active
        till.save(update_fields=["is_active", "updated_at"])
        if not active and till.oauth_application_id:
            # Its OAuth2 tokens end too (the enforcement query refuses them anyway from the next request).
            RefreshToken.objects.filter(application_id=till.oauth_application_id).delete()
            AccessToken.objects.filter(application_id=till.oauth_application_id).delete()
        audit.record(org=org, actor=actor, action="till.activate" if active else "till.deactivate", target=till,
                     before=before, after=_till_state(till))
    return till


def _client_group(org: Org, group: AccessGroup) -> AccessGroup:
    if group is None or not (group.org_id is None or group.org_id == org.pk):
        raise InvalidInput("Choose an access group.", code=StoresErrorCode.ACCESS_GROUP_REQUIRED,
                           fields={"access_group": ["Required."]})
    if not group.is_active:
        raise Conflict(f"{group.name} is inactive; activate it first.", code=StoresErrorCode.GROUP_INACTIVE)
    return group


@transaction.atomic
def api_client_create(*, actor, org: Org, name: str, access_group: AccessGroup,
                      secret: str | None = None) -> tuple[ApiClient, str]:
    """Returns the new API client and its client secret (shown once; the OAuth2 application keeps a hash).
    `secret` is for demo data only; callers leave it out and get a random one."""
    _require(can_manage_api_clients, actor, "You may not manage API clients.")
    name = clean_name(name, max_length=CLIENT_NAME_MAX_LENGTH)
    if access_group is not None:  # locked like group_deactivate does: a group never goes inactive under a new client
        access_group = group_services.group_lock(group=access_group)
    group = _client_group(org, access_group)
    if ApiClient.objects.filter(org=org, name__iexact=name, is_active=True).exists():
        raise Conflict(f"An API client named {name!r} exists.", code=StoresErrorCode.DUPLICATE_NAME,
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
    _require(can_manage_api_clients, actor, "You may not manage API clients.")
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
    _require(can_manage_api_clients, actor, "You may not manage API clients.")
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
