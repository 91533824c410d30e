"""Reads of rollout plans, always within one org, and the counts of the org's path to enforcement."""

from django.db.models import Count, Q
from django.http import Http404

from accessadmin.models import AuditEvent, Org
from accessadmin.tenancy import scope
from enforcement import selectors as enforcement_selectors
from groups import selectors as group_selectors
from stores import till_oauth

from .models import ProposedGroup, RolloutPlan

# The audit actions that change which group a store or API client acts with: a plan made before the newest
# of them is stale, and so is undoing a plan applied before one.
ALLOCATION_ACTIONS = ("group.allocate", "group.unallocate", "default_group.set", "api_client.set_group")
PATH_DAYS = 30  # the window of the org page's counts


def allocation_mark(*, org: Org) -> int:
    """Returns the id of the org's newest allocation change (audit events only grow), 0 when there is none."""
    newest = (scope(AuditEvent.objects.all(), org).filter(action__in=ALLOCATION_ACTIONS)
              .order_by("-id").values_list("id", flat=True).first())
    return newest or 0


def plan_list(*, org: Org):
    return scope(RolloutPlan.objects.all(), org).order_by("-created_at", "-id")


def plan_get(*, org: Org, pk) -> RolloutPlan:
    """Returns the org's plan; 404 for a missing one or another org's (the same answer)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    plan = plan_list(org=org).select_related("default_group_before").filter(pk=pk).first()
    if plan is None:
        raise Http404("Not found.")
    return plan


def proposed_groups(*, plan: RolloutPlan) -> list[ProposedGroup]:
    return list(plan.groups.select_related("existing", "created_group").order_by("key"))


def proposed_group_get(*, plan: RolloutPlan, key) -> ProposedGroup | None:
    try:
        key = int(key)
    except (TypeError, ValueError):
        return None
    return plan.groups.select_related("existing", "created_group").filter(key=key).first()


def plan_diff(*, plan: RolloutPlan, default_name: str) -> dict:
    """Returns, per proposed group key, where its stores and clients come from: [{"kind", "from", "count",
    "changes"}] ("from" None: a store on the org's default, named `default_name` in "from_name"), and the
    totals {"changing", "unchanged"}. One query."""
    rows = (plan.assignments.values("proposed__key", "proposed__existing_id", "proposed__created_group_id", "kind",
                                    "before_group_id", "before_group__name")
            .annotate(n=Count("pk")).order_by("proposed__key", "kind", "-n"))
    per_group: dict[int, list] = {}
    changing = unchanged = 0
    for row in rows:
        target = row["proposed__existing_id"] or row["proposed__created_group_id"]
        same = target is not None and row["before_group_id"] == target
        name = row["before_group__name"] or (f"{default_name} (default)" if row["kind"] == "store" else None)
        per_group.setdefault(row["proposed__key"], []).append(
            {"kind": row["kind"], "from": row["before_group_id"], "from_name": name, "count": row["n"],
             "changes": not same})
        if same:
            unchanged += row["n"]
        else:
            changing += row["n"]
    return {"groups": per_group, "changing": changing, "unchanged": unchanged}


def plan_assignments(*, plan: RolloutPlan, key=None, kind: str = ""):
    """Returns the plan's stores and clients (with their group before), of one proposed group when `key`."""
    qs = plan.assignments.select_related("before_group", "proposed").order_by("kind", "code")
    if key is not None:
        qs = qs.filter(proposed__key=key)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def latest_plan(*, org: Org) -> RolloutPlan | None:
    return plan_list(org=org).first()


def rollout_path(*, org: Org) -> dict:
    """Returns the counts of each step of the org's path: report-only → collect usage → plan → apply → enforce,
    and of its tills by auth method. A fixed number of queries."""
    usage = enforcement_selectors.usage_totals(org=org, days=PATH_DAYS)
    counts = org_store_counts(org=org)
    plans = plan_list(org=org).aggregate(total=Count("pk"), applied=Count("pk", filter=Q(status="applied")))
    latest = latest_plan(org=org)
    return {
        "report_only": org.enforcement_mode == Org.EnforcementMode.REPORT_ONLY,
        "enforcing": org.enforcement_mode == Org.EnforcementMode.ENFORCE,
        "days": PATH_DAYS,
        "usage": usage,
        "stores": counts,
        "plans": plans,
        "latest": latest,
        "tills": till_oauth.auth_method_counts(org=org),
    }


def org_store_counts(*, org: Org) -> dict:
    """Returns {"total", "allocated", "on_default"} of the org's stores. One query."""
    counts = org.stores.aggregate(total=Count("pk"), allocated=Count("pk", filter=Q(access_group__isnull=False)))
    return {**counts, "on_default": counts["total"] - counts["allocated"]}


def builtin_candidates(*, org: Org, names, resources) -> list:
    """Returns the built-in groups of those names with their grants: [(group, grants)]."""
    groups = group_selectors.group_list(org=org).filter(org__isnull=True, name__in=list(names), is_active=True)
    return [(group, group_selectors.group_grants(group, resources)) for group in groups]


def custom_groups_by_grants(*, org: Org, resources) -> dict:
    """Returns {grants: group} of the org's active custom groups (the oldest of equal ones). Two queries."""
    found = {}
    for group in group_selectors.group_list(org=org).filter(org=org, is_active=True).order_by("pk"):
        found.setdefault(group_selectors.group_grants(group, resources), group)
    return found
