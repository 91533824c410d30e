"""Writes of stores: create, edit (including allocation), per-store managers."""

import re

from django.db import IntegrityError, transaction
from guardian.shortcuts import assign_perm, remove_perm

from accessadmin import audit
from accessadmin.errors import Conflict, Forbidden, InvalidInput, NotFound
from accessadmin.models import Org, User
from groups import services as group_services
from groups.models import AccessGroup

from .models import Store
from .policies import MANAGE_STORE, can_create_store, can_delegate_stores, can_edit_store

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$")
UNSET = object()


def _state(store: Store) -> dict:
    return {"code": store.code, "name": store.name, "city": store.city}


def _clean(value: str, field: str, *, required: bool, max_length: int) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"{field} is required.", code=f"{field}_required", fields={field: ["Required."]})
    if len(value) > max_length:
        raise InvalidInput(f"{field} is too long.", code=f"{field}_too_long",
                           fields={field: [f"At most {max_length} characters."]})
    return value


@transaction.atomic
def store_create(*, actor, org: Org, code: str, name: str, city: str = "",
                 access_group: AccessGroup | None = None) -> Store:
    """Returns a new store of `org`, allocated to `access_group` when one is given."""
    if actor is not None and not can_create_store(actor):
        raise Forbidden("You may not create stores.", code="permission_denied")
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise InvalidInput("Store code must be 1–50 letters, digits, dots, dashes or underscores.",
                           code="invalid_code", fields={"code": ["Invalid store code."]})
    name = _clean(name, "name", required=True, max_length=200)
    city = _clean(city, "city", required=False, max_length=100)
    if Store.objects.filter(org=org, code=code).exists():
        raise Conflict(f"A store with code {code!r} exists.", code="duplicate_code",
                       fields={"code": ["This code is taken."]})
    try:
        with transaction.atomic():
            store = Store.objects.create(org=org, code=code, name=name, city=city)
    except IntegrityError:
        raise Conflict(f"A store with code {code!r} exists.", code="duplicate_code") from None
    audit.record(org=org, actor=actor, action="store.create", target=store, after=_state(store))
    if access_group is not None:
        group_services.stores_allocate(actor=actor, org=org, group=access_group, store_codes=[code])
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
        store.name = _clean(name, "name", required=True, max_length=200)
    if city is not None:
        store.city = _clean(city, "city", required=False, max_length=100)
    store.save(update_fields=["name", "city", "updated_at"])
    if before != _state(store):
        audit.record(org=org, actor=actor, action="store.update", target=store, before=before, after=_state(store))
    if access_group is not UNSET and (access_group.pk if access_group else None) != store.access_group_id:
        group_services.store_set_group(actor=actor, org=org, store=store, group=access_group)
        store.refresh_from_db()
    return store


def _manager(org: Org, username: str) -> User:
    user = User.objects.filter(org=org, username=username).first()
    if user is None:
        raise NotFound(f"No user {username!r} in this organization.", code="user_not_found")
    return user


@transaction.atomic
def store_grant_manager(*, actor, org: Org, store: Store, username: str) -> User:
    """Returns the user now allowed to see, edit and allocate `store` (and only the stores granted)."""
    if not can_delegate_stores(actor):
        raise Forbidden("You may not delegate stores.", code="permission_denied")
    user = _manager(org, username)
    assign_perm(MANAGE_STORE, user, store)
    audit.record(org=org, actor=actor, action="store.grant_manager", target=store, after={"user": user.username})
    return user


@transaction.atomic
def store_revoke_manager(*, actor, org: Org, store: Store, username: str) -> User:
    if not can_delegate_stores(actor):
        raise Forbidden("You may not delegate stores.", code="permission_denied")
    user = _manager(org, username)
    remove_perm(MANAGE_STORE, user, store)
    audit.record(org=org, actor=actor, action="store.revoke_manager", target=store, before={"user": user.username})
    return user
