"""Reads of tills, API clients and the usage log, always scoped to one org."""

from datetime import timedelta

from django.db.models import Max, Q, Sum
from django.utils import timezone

from accessadmin.models import AuditEvent, Org
from accessadmin.tenancy import get_scoped_or_404, scope
from groups import cells as cellsmod
from groups import selectors as group_selectors
from groups.policies import permission_for_method

from ..enforcement import usage
from ..models import ApiClient, Store, Till, UsageRecord


def till_list(*, org: Org, store: Store | None = None, search: str = ""):
    qs = scope(Till.objects.all(), org).select_related("store", "store__access_group")
    if store is not None:
        qs = qs.filter(store=store)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(store__code__icontains=search))
    return qs.order_by("code")


def till_get(*, org: Org, code: str) -> Till:
    """Returns the org's till; 404 for a missing one or another org's."""
    return get_scoped_or_404(Till.objects.select_related("store", "store__access_group"), org, code=code)


def effective_permissions(*, org: Org, till: Till) -> dict:
    """Returns what the till may do and why: its group, where the group comes from, and the cells."""
    store = till.store
    if store.access_group_id:
        group, source = store.access_group, "store"
        why = f"Store {store.code} is allocated to {group.name}."
    else:
        group, source = group_selectors.default_group(org=org), "org_default"
        why = f"Store {store.code} has no access group, so it uses the organization's default, {group.name}."
    resources = group_selectors.resource_list()
    group = group_selectors.group_get(org=org, pk=group.pk)
    grants = cellsmod.of_group(group, resources)
    notes = []
    if not till.is_active:
        notes.append("The till is deactivated: every request is refused with 401.")
    if not org.basic_auth_enabled:
        notes.append("Basic authentication is turned off for the organization: every till request gets 401.")
    if org.enforcement_mode == Org.EnforcementMode.REPORT_ONLY:
        notes.append("The organization runs in report-only mode: denied requests pass and are logged.")
    return {"till": till.code, "store": store.code, "active": till.is_active,
            "access_group": {"id": group.pk, "name": group.name, "kind": group.kind},
            "source": source, "why": why, "grants_all": group.grants_all,
            "permissions": cellsmod.payload(grants, resources), "matrix": cellsmod.matrix(grants, resources),
            "notes": notes}


def api_client_list(*, org: Org, search: str = ""):
    qs = scope(ApiClient.objects.all(), org).select_related("access_group", "created_by")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(client_id__icontains=search))
    return qs.order_by("-is_active", "name")


def api_client_get(*, org: Org, pk) -> ApiClient:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = -1
    return get_scoped_or_404(ApiClient.objects.select_related("access_group"), org, pk=pk)


def usage_list(*, org: Org, days: int = 30, outcome: str = "", caller: str = "", store_code: str = ""):
    """Returns the org's usage rows of the last `days` days (this process's counters flushed first)."""
    usage.flush()
    since = timezone.now().date() - timedelta(days=max(days, 1) - 1)
    qs = scope(UsageRecord.objects.all(), org).filter(day__gte=since)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if caller:
        qs = qs.filter(caller=caller)
    if store_code:
        qs = qs.filter(store_code=store_code)
    return qs.order_by("-day", "caller", "resource", "api", "method", "outcome")


def usage_summary(*, org: Org, days: int = 30, outcome: str = "", store_code: str = ""):
    """Returns usage aggregated over the days: one row per caller, resource, part, method, outcome."""
    return (usage_list(org=org, days=days, outcome=outcome, store_code=store_code)
            .values("caller_kind", "caller", "store_code", "resource", "api", "method", "outcome", "access_group")
            .annotate(total=Sum("count"), last_seen=Max("last_seen_at"))
            .order_by("caller", "resource", "api", "method", "outcome"))


def suggested_grants(*, org: Org, store: Store, days: int = 30) -> frozenset:
    """Returns the least-privilege cells covering what the store's tills did in the last `days` days:
    every (resource, part, read/write) of a request that was served (allowed or would-deny)."""
    rows = (usage_list(org=org, days=days, store_code=store.code)
            .filter(caller_kind=UsageRecord.CallerKind.TILL,
                    outcome__in=[UsageRecord.Outcome.ALLOWED, UsageRecord.Outcome.WOULD_DENY])
            .exclude(resource="").values_list("resource", "api", "method").distinct())
    known = {r.key for r in group_selectors.resource_list()}
    grants = set()
    for resource, api, method in rows:
        permission = permission_for_method(method)
        if permission and resource in known:
            grants.add((resource, api, permission))
    return frozenset(grants)


def store_for_till(*, org: Org, code: str) -> Store:
    """Returns the org's store a new till goes to; 404 for a missing one or another org's."""
    return get_scoped_or_404(Store.objects.all(), org, code=code or "")


def scope_audit(*, org: Org, till: Till):
    """Returns the org's audit events about `till`, newest first."""
    return scope(AuditEvent.objects.all(), org).filter(target_type="stores.till", target_id=str(till.pk))
