"""Writes of access groups: create, edit, (de)activate, allocate stores, choose the default.

Locking: every function that could add stores to a group, make a group the
default, or deactivate one takes the group's row lock (SELECT ... FOR UPDATE)
first. So no interleaving can leave an inactive group with stores, or an
inactive default, on PostgreSQL. (SQLite serialises writers by itself.)
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accessadmin import audit
from accessadmin.errors import Conflict, Forbidden, InvalidInput, NotFound
from accessadmin.models import Org
from stores.models import Store
from stores.policies import stores_visible
from stores.selectors import api_clients_using_group

from . import cells as cellsmod
from . import selectors
from .models import AccessGroup, DefaultAccessGroup, PermissionCell
from .policies import (
    can_manage_groups,
    check_can_deactivate,
    check_can_receive_stores,
    check_group_editable,
)

MAX_NAME = 100


def _require_manager(actor) -> None:
    if actor is not None and not can_manage_groups(actor):
        raise Forbidden("You may not manage access groups.", code="permission_denied")


def _clean_name(*, org: Org, name: str, exclude_pk=None) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Name is required.", code="name_required", fields={"name": ["This field is required."]})
    if len(name) > MAX_NAME:
        raise InvalidInput(f"Name is longer than {MAX_NAME} characters.", code="name_too_long",
                           fields={"name": [f"At most {MAX_NAME} characters."]})
    clash = AccessGroup.objects.filter(Q(org=org) | Q(org__isnull=True), name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise InvalidInput(f"An access group named {name!r} exists.", code="duplicate_name",
                       fields={"name": ["This name is taken (names are compared ignoring case)."]})
    return name


def _write_cells(group: AccessGroup, grants: frozenset, resources) -> None:
    by_key = {r.key: r for r in resources}
    PermissionCell.objects.filter(group=group).delete()
    rows = {}
    for key, api, permission in grants:
        cell = rows.setdefault((key, api), PermissionCell(group=group, resource=by_key[key], api=api))
        setattr(cell, permission, True)
    PermissionCell.objects.bulk_create(rows.values())


def _audit_cells(*, org, actor, group, before: frozenset, after: frozenset) -> list[dict]:
    """One audit event per changed (resource, api) cell, with its read/write flags before and after."""
    events = []
    changed = sorted({(r, a) for r, a, _ in before ^ after})
    for resource, api in changed:
        def flags(grants, resource=resource, api=api):
            return {"resource": resource, "api": api, "read": (resource, api, "read") in grants,
                    "write": (resource, api, "write") in grants}
        events.append({"org": org, "actor": actor, "action": "group.permission", "target": group,
                       "before": flags(before), "after": flags(after)})
    return events


def _group_state(group: AccessGroup) -> dict:
    return {"name": group.name, "description": group.description, "status": group.status}


@transaction.atomic
def group_create(*, actor, org: Org, name: str, description: str = "", permissions=None,
                 grants: frozenset | None = None) -> tuple[AccessGroup, list[str]]:
    """Returns a new active custom group of `org` and the warnings about its cells.

    Cells come either as the API's `permissions` list or as parsed `grants`.
    """
    _require_manager(actor)
    resources = selectors.resource_list()
    if grants is None:
        grants = cellsmod.parse(permissions or [], (r.key for r in resources))
    name = _clean_name(org=org, name=name)
    try:
        with transaction.atomic():
            group = AccessGroup.objects.create(org=org, name=name, description=(description or "").strip(),
                                               created_by=actor, updated_by=actor)
    except IntegrityError:
        # A concurrent request took the name between our check and the insert.
        raise InvalidInput(f"An access group named {name!r} exists.", code="duplicate_name") from None
    _write_cells(group, grants, resources)
    audit.record(org=org, actor=actor, action="group.create", target=group, after=_group_state(group))
    audit.record_many(_audit_cells(org=org, actor=actor, group=group, before=frozenset(), after=grants))
    return group, cell_warnings(grants)


def cell_warnings(grants) -> list[str]:
    return [f"{cell}: write without read — callers can change data they cannot read back."
            for cell in cellsmod.write_without_read(grants)]


@transaction.atomic
def group_update(*, actor, org: Org, group: AccessGroup, name: str | None = None, description: str | None = None,
                 permissions=None, grants: frozenset | None = None) -> tuple[AccessGroup, list[str]]:
    """Returns the group with the given fields changed and the warnings about its cells.

    `permissions`/`grants`, when given, replace the whole set of cells. Takes the group's row lock.
    """
    _require_manager(actor)
    check_group_editable(group)
    group = AccessGroup.objects.select_for_update().get(pk=group.pk)
    resources = selectors.resource_list()
    if grants is None and permissions is not None:
        grants = cellsmod.parse(permissions, (r.key for r in resources))
    before_state = _group_state(group)
    before_grants = cellsmod.of_group(group, resources)
    if name is not None:
        group.name = _clean_name(org=org, name=name, exclude_pk=group.pk)
    if description is not None:
        group.description = description.strip()
    group.updated_by = actor
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError:
        raise InvalidInput(f"An access group named {group.name!r} exists.", code="duplicate_name") from None
    after_state = _group_state(group)
    if before_state != after_state:
        audit.record(org=org, actor=actor, action="group.update", target=group, before=before_state,
                     after=after_state)
    if grants is not None and grants != before_grants:
        _write_cells(group, grants, resources)
        audit.record_many(_audit_cells(org=org, actor=actor, group=group, before=before_grants, after=grants))
    return group, cell_warnings(grants if grants is not None else before_grants)


def _lock(group: AccessGroup) -> AccessGroup:
    return AccessGroup.objects.select_for_update().get(pk=group.pk)


@transaction.atomic
def group_deactivate(*, actor, org: Org, group: AccessGroup) -> AccessGroup:
    """Returns the group made inactive. Refused for built-in groups, the default, or one with stores or active
    API clients (409 group_used_by_api_clients naming them). Locks the group row, as api_client_create does."""
    _require_manager(actor)
    check_group_editable(group)
    group = _lock(group)
    if not group.is_active:
        return group
    store_count = Store.objects.filter(access_group=group).count()
    is_default = selectors.default_group(org=org).pk == group.pk
    check_can_deactivate(group, store_count=store_count, is_default=is_default,
                         api_clients=api_clients_using_group(group=group))
    group.is_active = False
    group.updated_by = actor
    group.save(update_fields=["is_active", "updated_by", "updated_at"])
    audit.record(org=org, actor=actor, action="group.deactivate", target=group, before={"status": "active"},
                 after={"status": "inactive"})
    return group


@transaction.atomic
def group_activate(*, actor, org: Org, group: AccessGroup) -> AccessGroup:
    """Returns the group made active again."""
    _require_manager(actor)
    check_group_editable(group)
    group = _lock(group)
    if group.is_active:
        return group
    group.is_active = True
    group.updated_by = actor
    group.save(update_fields=["is_active", "updated_by", "updated_at"])
    audit.record(org=org, actor=actor, action="group.activate", target=group, before={"status": "inactive"},
                 after={"status": "active"})
    return group


def _stores_for(actor, org, codes) -> list[Store]:
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c for c in codes):
        raise InvalidInput("stores must be a non-empty list of store codes.", code="invalid_stores",
                           fields={"stores": ["A non-empty list of store codes."]})
    codes = list(dict.fromkeys(codes))
    visible = stores_visible(actor, org) if actor is not None else Store.objects.filter(org=org)
    found = {}
    for start in range(0, len(codes), 2000):
        chunk = codes[start:start + 2000]
        found.update({s.code: s for s in visible.filter(code__in=chunk).select_for_update(of=("self",))
                     .select_related("access_group")})
    missing = [c for c in codes if c not in found]
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        # The same answer for "no such store" and "not yours": nothing about other orgs leaks.
        raise NotFound(f"Unknown store: {shown}.", code="store_not_found", extra={"missing": missing[:100]})
    return [found[c] for c in codes]


@transaction.atomic
def stores_allocate(*, actor, org: Org, group: AccessGroup, store_codes: list[str]) -> int:
    """Returns how many stores moved to `group`. All or nothing: any unknown code refuses the lot.

    Takes the target group's row lock, so a concurrent deactivation waits and then sees the stores.
    """
    group = _lock(group)
    check_can_receive_stores(group)
    stores = _stores_for(actor, org, store_codes)
    moving = [s for s in stores if s.access_group_id != group.pk]
    if moving:
        now = timezone.now()
        ids = [s.pk for s in moving]
        for start in range(0, len(ids), 2000):
            Store.objects.filter(pk__in=ids[start:start + 2000]).update(access_group=group, updated_at=now)
        audit.record_many([
            {"org": org, "actor": actor, "action": "group.allocate", "target": group,
             "before": {"store": s.code, "group": s.access_group.name if s.access_group else None},
             "after": {"store": s.code, "group": group.name}} for s in moving])
    return len(moving)


@transaction.atomic
def stores_unallocate(*, actor, org: Org, group: AccessGroup, store_codes: list[str]) -> int:
    """Returns how many stores left `group` (they fall back to the default). Every store must be in it."""
    group = _lock(group)
    stores = _stores_for(actor, org, store_codes)
    outside = [s.code for s in stores if s.access_group_id != group.pk]
    if outside:
        raise Conflict(f"Not allocated to {group.name}: {', '.join(outside[:10])}.", code="store_not_in_group",
                       extra={"stores": outside[:100]})
    ids = [s.pk for s in stores]
    now = timezone.now()
    for start in range(0, len(ids), 2000):
        Store.objects.filter(pk__in=ids[start:start + 2000]).update(access_group=None, updated_at=now)
    audit.record_many([
        {"org": org, "actor": actor, "action": "group.unallocate", "target": group,
         "before": {"store": s.code, "group": group.name}, "after": {"store": s.code, "group": None}}
        for s in stores])
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
def default_group_set(*, actor, org: Org, group: AccessGroup) -> AccessGroup:
    """Returns the org's new default group, which must be active. Takes the group's row lock."""
    _require_manager(actor)
    group = _lock(group)
    check_can_receive_stores(group)
    previous = selectors.default_group(org=org)
    if previous.pk == group.pk:
        return group
    DefaultAccessGroup.objects.update_or_create(org=org, defaults={"group": group, "updated_by": actor})
    audit.record(org=org, actor=actor, action="default_group.set", target=org,
                 before={"group": previous.name, "id": previous.pk}, after={"group": group.name, "id": group.pk})
    return group
