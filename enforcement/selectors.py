"""The reads of enforcement: the hot path (below) and the usage log (at the end).

One query per request fetches everything a decision needs about the caller; it is written in SQL
because the ORM's query compilation would cost more than the query itself on this path (see
benchmarks/bench_enforcement.py). The groups' cells are cached per process, keyed by the group's
`updated_at`, which every edit of the group (cells included) moves forward: a stale entry can never be
looked up again.
"""

import copy
import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Max, Subquery, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from oauth2_provider.models import AccessToken

from accessadmin.models import Org
from accessadmin.tenancy import scope
from groups import selectors as group_selectors
from groups.models import AccessGroup, PermissionCell
from groups.policies import permission_for_method
from stores import selectors as store_selectors
from stores.models import Store, Till

from . import usage
from .models import EnforcementState, UsageRecord

_GROUP_COLUMNS = "g.id, g.name, g.is_active, g.grants_all, g.updated_at"


def _till_sql() -> tuple[str, list]:
    """Returns the till query and its parameters before the till code. The group is the store's effective
    group, resolved by the stores app's rule (stores.selectors.effective_group_id_sql)."""
    effective, params = store_selectors.effective_group_id_sql(store="s", org_id="o.id")
    return f"""
        SELECT t.id, t.code, t.secret_hash, t.is_active, t.basic_last_used_at,
               s.id, s.code, s.access_group_id,
               o.id, o.code, o.basic_auth_enabled, o.enforcement_mode,
               {_GROUP_COLUMNS},
               (SELECT v.catalogue_version FROM {EnforcementState._meta.db_table} v WHERE v.id = 1)
        FROM {Till._meta.db_table} t
        JOIN {Store._meta.db_table} s ON s.id = t.store_id
        JOIN {Org._meta.db_table} o ON o.id = t.org_id
        LEFT JOIN {AccessGroup._meta.db_table} g ON g.id = {effective}
        WHERE t.code = %s
    """, params


_TILL_SQL: tuple[str, list] | None = None


def till_row(code: str) -> tuple | None:
    """Returns the till's auth row (see _till_sql for the columns), or None. One query."""
    global _TILL_SQL
    if _TILL_SQL is None:
        sql, params = _till_sql()
        _TILL_SQL = " ".join(sql.split()), params  # shorter to scan for placeholders on every execute
    sql, params = _TILL_SQL
    if connection.vendor == "postgresql":
        return _prepared_fetchone(sql, [*params, code])
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, code])
        return cursor.fetchone()


def _prepared_fetchone(sql: str, params: list) -> tuple | None:
    """Runs `sql` as a server-side prepared statement on Django's PostgreSQL connection.

    Django binds parameters on the client, so PostgreSQL plans this five-table query on every request,
    which costs several times its execution (~0.4 ms vs ~0.09 ms prepared, see the benchmark). Only
    this statement is prepared: the huge threshold keeps psycopg from preparing anything else. The
    query is still logged for query counting and its errors are Django's. (Behind a pgbouncer in
    transaction mode, prepared statements need pgbouncer ≥ 1.21 with max_prepared_statements.)
    """
    import psycopg  # only on PostgreSQL

    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = 2**31 - 1
    start = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        cursor.execute(sql, params, prepare=True)
        row = cursor.fetchone()
    if connection.queries_logged:
        connection.queries_log.append({"sql": f"{sql} -- {params!r}", "time": f"{time.monotonic() - start:.3f}"})
    return row


def client_row(token_checksum: str):
    """Returns (token expiry, client, org, group, catalogue version) for a token checksum, or None. One query."""
    catalogue = EnforcementState.objects.filter(pk=1).values("catalogue_version")[:1]
    token = (AccessToken.objects.filter(token_checksum=token_checksum, application__api_client__isnull=False)
             .annotate(catalogue_version=Subquery(catalogue))
             .values_list("expires", "application__api_client__id", "application__api_client__client_id",
                          "application__api_client__name", "application__api_client__is_active",
                          "application__api_client__org_id", "application__api_client__org__code",
                          "application__api_client__org__enforcement_mode",
                          "application__api_client__access_group_id",
                          "application__api_client__access_group__name",
                          "application__api_client__access_group__is_active",
                          "application__api_client__access_group__grants_all",
                          "application__api_client__access_group__updated_at", "catalogue_version")
             .first())
    return token


def as_datetime(value) -> datetime | None:
    """Returns a datetime for a raw column value (SQLite may hand back text)."""
    if value is not None and not isinstance(value, datetime):
        value = parse_datetime(str(value))
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


class _Lru:
    """A small thread-safe LRU map, for values that are correct forever under their key."""

    def __init__(self, size: int):
        self.size = size
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.data.get(key)
            if value is not None:
                self.data.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.data.clear()


_grants_cache = _Lru(4096)


def group_grants(group_id: int, version) -> frozenset:
    """Returns the group's (resource, api, permission) grants. Cached per (group, updated_at)."""
    key = (group_id, str(version))
    grants = _grants_cache.get(key)
    if grants is None:
        rows = (PermissionCell.objects.filter(group_id=group_id)
                .values_list("resource__key", "api", "read", "write"))
        found = set()
        for resource, api, read, write in rows:
            if read:
                found.add((resource, api, "read"))
            if write:
                found.add((resource, api, "write"))
        grants = frozenset(found)
        _grants_cache.put(key, grants)
    return grants


def caller_org(caller) -> Org:
    """Returns the caller's org. Loaded once per warm entry (Caller.org_cache, dropped with the entry when
    the org changes) and handed out as a copy, so a view can never change what the next request sees."""
    box = getattr(caller, "org_cache", None)
    if box is None:
        return Org.objects.get(pk=caller.org_id)
    org = box.get("org")
    if org is None:
        org = box["org"] = Org.objects.get(pk=caller.org_id)
    return copy.copy(org)


# --- the usage log -------------------------------------------------------------------------------------------

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


SERVED = (UsageRecord.Outcome.ALLOWED, UsageRecord.Outcome.WOULD_DENY)
STORE_SUBJECT, CLIENT_SUBJECT = "store", "client"


def served_usage_by_subject(*, org: Org, days: int, chunk_size: int = 5000):
    """Yields (subject kind, subject, resource, api, method, count) for every kind of request served (allowed or
    would-deny) in the last `days` days, summed over days and callers: kind "store" for tills' requests (subject:
    the store code recorded with them), then "client" for API clients' (subject: the client id). Rows of one
    subject are consecutive. Streamed (a server-side cursor on PostgreSQL): memory does not grow with the log.
    Two queries."""
    usage.flush()
    since = timezone.now().date() - timedelta(days=max(days, 1) - 1)
    served = UsageRecord.objects.filter(org=org, day__gte=since, outcome__in=SERVED)
    tills = (served.filter(caller_kind=UsageRecord.CallerKind.TILL).exclude(store_code="")
             .values_list("store_code", "resource", "api", "method").annotate(total=Sum("count"))
             .order_by("store_code"))
    for row in tills.iterator(chunk_size=chunk_size):
        yield (STORE_SUBJECT, *row)
    clients = (served.filter(caller_kind=UsageRecord.CallerKind.CLIENT)
               .values_list("caller", "resource", "api", "method").annotate(total=Sum("count"))
               .order_by("caller"))
    for row in clients.iterator(chunk_size=chunk_size):
        yield (CLIENT_SUBJECT, *row)


def usage_totals(*, org: Org, days: int = 30) -> dict:
    """Returns the org's requests of the last `days` days: `requests`, `would_deny`, `denied`, and how many
    `stores` (their tills) and `callers` made them. One query."""
    usage.flush()
    since = timezone.now().date() - timedelta(days=max(days, 1) - 1)
    from django.db.models import Count, Q  # here, not at the top: the hot path above never needs them

    totals = UsageRecord.objects.filter(org=org, day__gte=since).aggregate(
        requests=Sum("count"), would_deny=Sum("count", filter=Q(outcome=UsageRecord.Outcome.WOULD_DENY)),
        denied=Sum("count", filter=Q(outcome=UsageRecord.Outcome.DENIED)),
        stores=Count("store_code", distinct=True, filter=~Q(store_code="")),
        callers=Count("caller", distinct=True))
    return {key: value or 0 for key, value in totals.items()}
