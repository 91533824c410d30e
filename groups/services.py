"""Writes of access groups: create, edit, (de)activate, choose the default.

Locking: every function that could add stores to a group (the stores app's
allocation), make a group the default, or deactivate one takes the group's row
lock (SELECT ... FOR UPDATE, `group_lock`) first. So no interleaving can leave an
inactive group with stores, or an inactive default, on PostgreSQL. (SQLite
serialises writers by itself.)
"""

from django.db import IntegrityError, transaction
from django.db.models import Q

from accessadmin import audit
from accessadmin.errors import CoreErrorCode, Forbidden, InvalidInput
from accessadmin.models import Org
from accessadmin.validation import clean_name

from . import cells as cellsmod
from . import selectors
from .errors import GroupsErrorCode
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
        raise Forbidden("You may not manage access groups.", code=CoreErrorCode.PERMISSION_DENIED)


def _clean_name(*, org: Org, name: str, exclude_pk=None) -> str:
    name = clean_name(name, max_length=MAX_NAME)
    clash = AccessGroup.objects.filter(Q(org=org) | Q(org__isnull=True), name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise InvalidInput(f"An access group named {name!r} exists.", code=GroupsErrorCode.DUPLICATE_NAME,
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
        raise InvalidInput(f"An access group named {name!r} exists.", code=GroupsErrorCode.DUPLICATE_NAME) from None
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
        raise InvalidInput(f"An access group named {group.name!r} exists.",
                           code=GroupsErrorCode.DUPLICATE_NAME) from None
    after_state = _group_state(group)
    if before_state != after_state:
        audit.record(org=org, actor=actor, action="group.update", target=group, before=before_state,
                     after=after_state)
    if grants is not None and grants != before_grants:
        _write_cells(group, grants, resources)
        audit.record_many(_audit_cells(org=org, actor=actor, group=group, before=before_grants, after=grants))
    return group, cell_warnings(grants if grants is not None else before_grants)


def group_lock(*, group: AccessGroup) -> AccessGroup:
    """Returns `group` read again under its row lock; the caller's transaction holds it until commit."""
    return AccessGroup.objects.select_for_update().get(pk=group.pk)


@transaction.atomic
def group_deactivate(*, actor, org: Org, group: AccessGroup) -> AccessGroup:
    """Returns the group made inactive. Refused for built-in groups, the default, or one with stores or active
    API clients (409 group_used_by_api_clients naming them). Locks the group row, as api_client_create does."""
    _require_manager(actor)
    check_group_editable(group)
    group = group_lock(group=group)
    if not group.is_active:
        return group
    store_count = group.stores.count()
    is_default = selectors.default_group(org=org).pk == group.pk
    check_can_deactivate(group, store_count=store_count, is_default=is_default,
                         api_clients=selectors.group_api_clients(group=group))
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
    group = group_lock(group=group)
    if group.is_active:
        return group
    group.is_active = True
    group.updated_by = actor
    group.save(update_fields=["is_active", "updated_by", "updated_at"])
    audit.record(org=org, actor=actor, action="group.activate", target=group, before={"status": "inactive"},
                 after={"status": "active"})
    return group


@transaction.atomic
def default_group_set(*, actor, org: Org, group: AccessGroup) -> AccessGroup:
    """Returns the org's new default group, which must be active. Takes the group's row lock."""
    _require_manager(actor)
    group = group_lock(group=group)
    check_can_receive_stores(group)
    previous = selectors.default_group(org=org)
    if previous.pk == group.pk:
        return group
    DefaultAccessGroup.objects.update_or_create(org=org, defaults={"group": group, "updated_by": actor})
    audit.record(org=org, actor=actor, action="default_group.set", target=org,
                 before={"group": previous.name, "id": previous.pk}, after={"group": group.name, "id": group.pk})
    return group
