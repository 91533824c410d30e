"""Writes of access groups: create, edit, (de)activate, choose the default.

Locking: every function that could add stores to a group (the stores app's
allocation), make a group the default, or deactivate one takes the group's row
lock (SELECT ... FOR UPDATE, `group_lock`) first. So no interleaving can leave an
inactive group with stores, or an inactive default, on PostgreSQL. (SQLite
serialises writers by itself.)
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accessadmin import audit, versions
from accessadmin.errors import CoreErrorCode, Forbidden, InvalidInput
from accessadmin.models import Org
from accessadmin.validation import clean_name

from . import cells as cellsmod
from . import selectors, store_counts
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


def _lock_pair(*, group: AccessGroup, other: AccessGroup) -> tuple[AccessGroup, AccessGroup]:
    """Returns both groups read again under their row locks, taken in id order (no deadlock with a
    writer locking the same two the other way round)."""
    locked = {g.pk: g for g in AccessGroup.objects.select_for_update().filter(pk__in=[group.pk, other.pk])
              .order_by("pk")}
    return locked[group.pk], locked[other.pk]


def _move_target(*, org: Org, group: AccessGroup, move_to) -> AccessGroup:
    """Returns the group `move_to` (a group or its id) names, if the org may move stores there."""
    pk = move_to.pk if isinstance(move_to, AccessGroup) else move_to
    target = None
    if isinstance(pk, int) and not isinstance(pk, bool) and pk != group.pk:
        target = AccessGroup.objects.visible_to(org).filter(pk=pk).first()
    if target is None:
        raise InvalidInput("move_to must name another access group of the organization.",
                           code=GroupsErrorCode.INVALID_MOVE_TARGET,
                           fields={"move_to": ["Choose another access group."]})
    return target


def _move_stores(*, actor, org: Org, group: AccessGroup, target: AccessGroup) -> int:
    """Moves every store of `group` to `target` and returns how many moved. The caller holds both row locks.

    Stores are the stores app's; they are reached through the group's reverse relation (as selectors read
    them), so that moving and deactivating are one transaction in the app that owns deactivation. The audit
    events are those of an allocation (group.allocate on the target, with each store's group before/after).
    """
    check_can_receive_stores(target)
    moving = list(group.stores.filter(org=org).select_for_update().order_by("code").values_list("pk", "code"))
    if moving:
        group.stores.filter(pk__in=[pk for pk, _ in moving]).update(access_group=target, updated_at=timezone.now())
        store_counts.apply(org_id=org.pk, deltas={group.pk: -len(moving), target.pk: len(moving)})
        versions.changed(org.pk)  # QuerySet.update sends no signal: the tills' decisions change
        audit.record_many([
            {"org": org, "actor": actor, "action": "group.allocate", "target": target,
             "before": {"store": code, "group": group.name}, "after": {"store": code, "group": target.name}}
            for _, code in moving])
    return len(moving)


@transaction.atomic
def group_deactivate(*, actor, org: Org, group: AccessGroup, move_to=None) -> AccessGroup:
    """Returns the group made inactive. Refused for built-in groups, the default, or one with stores or active
    API clients (409 group_used_by_api_clients naming them). Locks the group row, as api_client_create does.

    `move_to` (a group or its id): first move the group's stores to that active group of the org, in the same
    transaction, so a group with stores is deactivated in one step (both rows locked, in id order)."""
    _require_manager(actor)
    check_group_editable(group)
    if move_to is not None:
        target = _move_target(org=org, group=group, move_to=move_to)
        group, target = _lock_pair(group=group, other=target)
    else:
        target = None
        group = group_lock(group=group)
    if not group.is_active:
        return group
    is_default = selectors.default_group(org=org).pk == group.pk
    # With a target, the stores are no obstacle: they move once everything else has been checked (a refusal
    # changes nothing). Stores can only join `group` under its lock, which we hold.
    check_can_deactivate(group, store_count=0 if target is not None else group.stores.count(),
                         is_default=is_default, api_clients=selectors.group_api_clients(group=group))
    if target is not None:
        _move_stores(actor=actor, org=org, group=group, target=target)
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
