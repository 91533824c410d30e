"""Writes of rollout plans: make one from usage, rename its proposed groups, apply it, undo it.

Planning streams the usage log (enforcement.selectors.served_usage_by_subject, summed over days and callers,
ordered by store) and writes the plan's rows in batches, so its memory does not grow with the number of
stores or usage rows; only the distinct sets of cells are kept (see benchmarks/bench_rollout.py).

Applying and undoing call the groups and stores services (group_create, stores_allocate, stores_unallocate,
api_client_set_group, default_group_set, group_activate, group_deactivate), so every change is audited and
bumps the enforcement caches exactly as when a person makes it; the plan adds one event of its own. Each is
one transaction under the org's row lock (one rollout write at a time per org): all or nothing.
"""

from collections import defaultdict
from itertools import groupby

from django.db import connection, transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from accessadmin import audit
from accessadmin.errors import Conflict, CoreErrorCode, Forbidden, InvalidInput, NotFound
from accessadmin.models import Org
from accessadmin.validation import clean_name
from enforcement import selectors as enforcement_selectors
from groups import selectors as group_selectors
from groups import services as group_services
from stores import selectors as store_selectors
from stores import services as store_services

from . import planning, selectors
from .errors import RolloutErrorCode
from .models import PlanAssignment, ProposedGroup, RolloutPlan
from .policies import can_plan_rollout

DAYS_MIN, DAYS_MAX = 1, 90
BATCH = 2000               # subjects resolved and written per round trip
WOULD_DENY_LISTED = 200    # would-deny request kinds kept in the plan (all are counted)
ALLOCATE_CHUNK = 10000     # stores per allocation call on apply and undo


def _require(actor) -> None:
    if actor is not None and not can_plan_rollout(actor):
        raise Forbidden("You may not plan the rollout of access groups.", code=CoreErrorCode.PERMISSION_DENIED)


def clean_days(days) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not DAYS_MIN <= days <= DAYS_MAX:
        raise InvalidInput(f"days must be a whole number from {DAYS_MIN} to {DAYS_MAX}.",
                           code=RolloutErrorCode.INVALID_PLAN_DAYS,
                           fields={"days": [f"A whole number from {DAYS_MIN} to {DAYS_MAX}."]})
    return days


def _taken_names(org: Org) -> set[str]:
    return {name.lower() for name in group_selectors.group_list(org=org).values_list("name", flat=True)}


_ASSIGNMENT_COLUMNS = ("plan_id", "proposed_id", "kind", "code", "subject_id", "before_group_id", "requests")


def _insert_assignments(rows: list[tuple]) -> None:
    """Writes plan rows given as tuples of _ASSIGNMENT_COLUMNS: one COPY on PostgreSQL (model instances cost more
    than the insert itself at 100,000 stores, see benchmarks/bench_rollout.py), else one bulk INSERT."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {PlanAssignment._meta.db_table} ({', '.join(_ASSIGNMENT_COLUMNS)}) "
                                    "FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    PlanAssignment.objects.bulk_create([PlanAssignment(**dict(zip(_ASSIGNMENT_COLUMNS, row, strict=True)))
                                        for row in rows], batch_size=BATCH)


class _Planner:
    """Turns the stream of one subject's usage rows after another into proposed groups and assignments."""

    def __init__(self, *, plan: RolloutPlan, org: Org):
        self.plan, self.org = plan, org
        self.resources = group_selectors.resource_list()
        self.known = frozenset(r.key for r in self.resources)
        self.builtins = selectors.builtin_candidates(org=org, names=planning.COVERING_BUILTINS,
                                                     resources=self.resources)
        self.builtin_grants = {group.pk: grants for group, grants in self.builtins}
        self.own_groups = selectors.custom_groups_by_grants(org=org, resources=self.resources)
        self.taken = _taken_names(org)
        self.proposals: dict[tuple, ProposedGroup] = {}
        self.proposal_cells: dict[int, frozenset] = {}
        self.pending: list[tuple[str, str, ProposedGroup, int]] = []

    def _proposal(self, cells: frozenset) -> tuple[ProposedGroup, frozenset]:
        existing = planning.covering_builtin(cells, self.builtins) or self.own_groups.get(cells)
        key = ("existing", existing.pk) if existing is not None else ("custom", cells)
        proposal = self.proposals.get(key)
        if proposal is None:
            if existing is not None:
                name, grants = existing.name, self.builtin_grants.get(existing.pk, cells)
            else:
                name, grants = planning.unique_name(planning.name_for(cells, self.resources), self.taken), cells
            proposal = ProposedGroup.objects.create(plan=self.plan, key=len(self.proposals) + 1, name=name,
                                                    grants=planning.as_strings(grants), existing=existing)
            self.proposals[key] = proposal
            self.proposal_cells[proposal.pk] = grants
        return proposal, self.proposal_cells[proposal.pk]

    def subject(self, kind: str, code: str, rows: list[tuple[str, str, str, int]]) -> None:
        """Plans one store (its tills' rows) or API client: its least set of cells, and its group."""
        plan = self.plan
        needed = [(planning.cell_of(resource, api, method, self.known), resource, api, method, n)
                  for resource, api, method, n in rows]
        cells = frozenset(cell for cell, *_ in needed if cell is not None)
        plan.usage_rows += len(rows)
        requests = sum(n for *_, n in needed)
        plan.requests += requests
        proposal, grants = self._proposal(cells) if cells else (None, frozenset())
        # The check is the decision's own test (is the request's cell among the group's?), run on every row:
        # rows that map to no cell are the only ones that can fail it, and they are listed.
        for cell, resource, api, method, n in needed:
            if cell is None or cell not in grants:
                plan.would_deny_count += n
                if len(plan.would_deny) < WOULD_DENY_LISTED:
                    plan.would_deny.append({"kind": kind, "subject": code, "resource": resource, "api": api,
                                            "method": method, "count": n,
                                            "reason": "no_cell" if cell is None else "not_in_group"})
        if proposal is not None:  # a subject whose every request maps to no cell keeps its group
            self.pending.append((kind, code, proposal, requests))
            if len(self.pending) >= BATCH:
                self.flush()

    def flush(self) -> None:
        """Writes the pending assignments with each subject's group of now: one read and one insert per kind."""
        by_kind = defaultdict(list)
        for entry in self.pending:
            by_kind[entry[0]].append(entry)
        self.pending = []
        for kind, entries in by_kind.items():
            codes = [code for _, code, _, _ in entries]
            if kind == PlanAssignment.Kind.STORE:
                found = {code: (pk, group_id) for code, pk, group_id in
                         self.org.stores.filter(code__in=codes).values_list("code", "pk", "access_group_id")}
            else:
                found = {code: (pk, group_id) for code, pk, group_id in
                         self.org.api_clients.filter(client_id__in=codes, is_active=True)
                         .values_list("client_id", "pk", "access_group_id")}
            rows = []
            for _, code, proposal, requests in entries:
                if code not in found:
                    self.plan.unknown_subjects += 1  # a store or client that is gone: nothing to allocate
                    continue
                pk, group_id = found[code]
                rows.append((self.plan.pk, proposal.pk, kind, code, pk, group_id, requests))
                if kind == PlanAssignment.Kind.STORE:
                    proposal.store_count += 1
                    self.plan.stores_with_usage += 1
                else:
                    proposal.client_count += 1
                    self.plan.clients_with_usage += 1
            _insert_assignments(rows)

    def finish(self) -> None:
        self.flush()
        ProposedGroup.objects.bulk_update(self.proposals.values(), ["store_count", "client_count"])


@transaction.atomic
def plan_create(*, actor, org: Org, days) -> RolloutPlan:
    """Returns a new draft plan for `org` from the usage of the last `days` days (1–90): for every store its
    tills used, and every API client, the least set of cells it used, and the proposed group for that set
    (rollout.planning states the rule). Stores and clients without usage are not in the plan."""
    _require(actor)
    days = clean_days(days)
    who = audit.resolve(actor)
    plan = RolloutPlan.objects.create(org=org, days=days, created_by=who.user, created_by_repr=who.display,
                                      basis_event_id=selectors.allocation_mark(org=org),
                                      store_total=org.stores.count())
    planner = _Planner(plan=plan, org=org)
    stream = enforcement_selectors.served_usage_by_subject(org=org, days=days)
    for (kind, code), rows in groupby(stream, key=lambda row: (row[0], row[1])):
        planner.subject(kind, code, [(resource, api, method, n) for _, _, resource, api, method, n in rows])
    planner.finish()
    plan.save()
    audit.record(org=org, actor=actor, action="rollout.plan", target=plan, after=_summary(plan))
    return plan


def _summary(plan: RolloutPlan) -> dict:
    return {"days": plan.days, "groups": plan.groups.count(), "stores": plan.stores_with_usage,
            "clients": plan.clients_with_usage, "would_deny": plan.would_deny_count}


def _draft(org: Org, plan: RolloutPlan) -> RolloutPlan:
    plan = RolloutPlan.objects.select_for_update().get(pk=plan.pk, org=org)
    if plan.status != RolloutPlan.Status.DRAFT:
        raise Conflict(f"Plan #{plan.pk} is {plan.get_status_display().lower()}.", code=RolloutErrorCode.PLAN_NOT_DRAFT)
    return plan


@transaction.atomic
def plan_group_rename(*, actor, org: Org, plan: RolloutPlan, key, name: str) -> ProposedGroup:
    """Returns the plan's proposed custom group `key` renamed (the group apply will create). Draft plans only."""
    _require(actor)
    plan = _draft(org, plan)
    proposal = selectors.proposed_group_get(plan=plan, key=key)
    if proposal is None:
        raise NotFound(f"Plan #{plan.pk} has no proposed group {key}.", code=RolloutErrorCode.PROPOSAL_NOT_FOUND)
    if not proposal.is_new:
        raise Conflict(f"{proposal.name} exists already; rename it on its own page.",
                       code=RolloutErrorCode.PROPOSAL_EXISTS)
    name = clean_name(name, max_length=planning.NAME_MAX)
    others = {p.name.lower() for p in plan.groups.exclude(pk=proposal.pk)}
    if name.lower() != proposal.name.lower() and (name.lower() in _taken_names(org) or name.lower() in others):
        raise Conflict(f"An access group named {name!r} exists.", code=RolloutErrorCode.PROPOSED_NAME_TAKEN,
                       fields={"name": ["This name is taken (names are compared ignoring case)."]})
    if name != proposal.name:
        before = proposal.name
        proposal.name = name
        proposal.save(update_fields=["name"])
        audit.record(org=org, actor=actor, action="rollout.rename", target=plan,
                     before={"key": proposal.key, "name": before}, after={"key": proposal.key, "name": name})
    return proposal


def _lock_org(org: Org) -> None:
    """Serialises rollout writes of one org (held until commit)."""
    Org.objects.select_for_update().filter(pk=org.pk).values_list("pk").first()


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start:start + size]


@transaction.atomic
def plan_apply(*, actor, org: Org, plan: RolloutPlan) -> RolloutPlan:
    """Returns the plan applied: its custom groups created, its stores and API clients moved to their proposed
    groups, as one transaction. Refused when the allocation changed since the plan was made (409 plan_stale),
    or a proposed name was taken since (409 proposed_name_taken)."""
    _require(actor)
    _lock_org(org)
    plan = _draft(org, plan)
    if selectors.allocation_mark(org=org) > plan.basis_event_id:
        raise Conflict(f"The allocation changed after plan #{plan.pk} was made; make a new plan.",
                       code=RolloutErrorCode.PLAN_STALE)
    proposals = selectors.proposed_groups(plan=plan)
    taken = _taken_names(org)
    clashes = [p.name for p in proposals if p.is_new and p.name.lower() in taken]
    if clashes:
        raise Conflict(f"Access groups named {', '.join(clashes)} exist now; rename the proposed groups.",
                       code=RolloutErrorCode.PROPOSED_NAME_TAKEN, extra={"names": clashes})
    plan.default_group_before = group_selectors.default_group(org=org)
    moved = 0
    for proposal in proposals:
        if not proposal.is_new:
            target = proposal.existing
        else:
            target, _warnings = group_services.group_create(
                actor=actor, org=org, name=proposal.name, grants=planning.from_strings(proposal.grants),
                description=(f"Rollout plan #{plan.pk}: what its stores and API clients used in {plan.days} "
                             f"day{pluralize(plan.days)}."))
            proposal.created_group = target
            proposal.save(update_fields=["created_group"])
        assignments = plan.assignments.filter(proposed=proposal)
        codes = list(assignments.filter(kind=PlanAssignment.Kind.STORE).values_list("code", flat=True))
        for chunk in _chunks(codes, ALLOCATE_CHUNK):
            moved += store_services.stores_allocate(actor=actor, org=org, group=target, store_codes=chunk)
        for client_pk in assignments.filter(kind=PlanAssignment.Kind.CLIENT).values_list("subject_id", flat=True):
            client = store_selectors.api_client_get(org=org, pk=client_pk)
            if client.is_active and client.access_group_id != target.pk:
                store_services.api_client_set_group(actor=actor, org=org, client=client, access_group=target)
                moved += 1
    who = audit.resolve(actor)
    plan.status = RolloutPlan.Status.APPLIED
    plan.applied_at = timezone.now()
    plan.applied_by_repr = who.display
    plan.applied_event_id = selectors.allocation_mark(org=org)
    plan.save()
    audit.record(org=org, actor=actor, action="rollout.apply", target=plan, after={**_summary(plan), "moved": moved})
    return plan


@transaction.atomic
def plan_undo(*, actor, org: Org, plan: RolloutPlan) -> RolloutPlan:
    """Returns the plan undone: every store and API client back in the group it had before apply (stores that
    used the default use it again), the default group as it was, and the groups the plan created deactivated
    (not deleted). Refused when the allocation changed after the plan was applied (409 plan_stale)."""
    _require(actor)
    _lock_org(org)
    plan = RolloutPlan.objects.select_for_update().get(pk=plan.pk, org=org)
    if plan.status != RolloutPlan.Status.APPLIED:
        raise Conflict(f"Plan #{plan.pk} is not applied.", code=RolloutErrorCode.PLAN_NOT_APPLIED)
    if selectors.allocation_mark(org=org) > (plan.applied_event_id or 0):
        raise Conflict(f"The allocation changed after plan #{plan.pk} was applied; it cannot be undone exactly.",
                       code=RolloutErrorCode.PLAN_STALE)
    proposals = selectors.proposed_groups(plan=plan)
    groups_before = {}

    def before_group(pk):
        if pk not in groups_before:
            group = group_selectors.group_get(org=org, pk=pk)
            if not group.is_active:  # deactivated after apply (its stores had left): it takes them back
                group = group_services.group_activate(actor=actor, org=org, group=group)
            groups_before[pk] = group
        return groups_before[pk]

    for proposal in proposals:
        target = proposal.existing or proposal.created_group
        assignments = plan.assignments.filter(proposed=proposal).exclude(before_group_id=target.pk)
        stores = defaultdict(list)
        for before, code in (assignments.filter(kind=PlanAssignment.Kind.STORE)
                             .values_list("before_group_id", "code").order_by("before_group_id", "code")):
            stores[before].append(code)
        for before, codes in stores.items():
            for chunk in _chunks(codes, ALLOCATE_CHUNK):
                if before is None:
                    store_services.stores_unallocate(actor=actor, org=org, group=target, store_codes=chunk)
                else:
                    store_services.stores_allocate(actor=actor, org=org, group=before_group(before),
                                                   store_codes=chunk)
        for before, client_pk in (assignments.filter(kind=PlanAssignment.Kind.CLIENT)
                                  .values_list("before_group_id", "subject_id")):
            client = store_selectors.api_client_get(org=org, pk=client_pk)
            if client.is_active and before is not None and client.access_group_id != before:
                store_services.api_client_set_group(actor=actor, org=org, client=client,
                                                    access_group=before_group(before))
    if plan.default_group_before_id and group_selectors.default_group(org=org).pk != plan.default_group_before_id:
        group_services.default_group_set(actor=actor, org=org, group=before_group(plan.default_group_before_id))
    for proposal in proposals:
        if proposal.created_group_id:
            group_services.group_deactivate(actor=actor, org=org, group=proposal.created_group)
    who = audit.resolve(actor)
    plan.status = RolloutPlan.Status.UNDONE
    plan.undone_at = timezone.now()
    plan.undone_by_repr = who.display
    plan.save(update_fields=["status", "undone_at", "undone_by_repr"])
    audit.record(org=org, actor=actor, action="rollout.undo", target=plan, after=_summary(plan))
    return plan
