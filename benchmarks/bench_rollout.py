"""Rollout planning at scale (PostgreSQL): plans for an org of 20,000 stores with 400,000 aggregated usage rows
and one of 100,000 stores with 2,000,000 rows, side by side in one run.

Prints, per size: the planning time (rollout.services.plan_create: the streamed aggregate of the usage log,
the least cells per store, the proposed groups, the plan's rows written in batches), the peak of Python
memory while planning (tracemalloc, a second run) and the growth of the process's peak RSS; then the time
to apply the large plan (groups created, 100,000 stores allocated with their audit events). Memory should
stay flat: the planner keeps only the distinct sets of cells and one batch of stores, whatever the size.

Data: each store gets one of 12 usage shapes (1–5 kinds of request, Data and Config API, read and write;
3 of them covered by a built-in group), each kind of request logged on 4 days: 20 rows per store on
average, loaded with COPY.
"""

import random
import resource
import time
import tracemalloc
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from benchmarks.common import report, throwaway_database

SIZES = [(20_000, 400_000), (100_000, 2_000_000)]
DAYS = 30
# (resource, api, method) kinds per shape; the first three are covered by Instore / POS.
SHAPES = [
    [("customer", "data", "POST")],
    [("customer", "data", "GET"), ("customer", "data", "POST"), ("points", "data", "GET")],
    [("customer", "data", "GET"), ("transaction", "data", "POST"), ("coupon", "data", "GET"),
     ("points", "data", "POST")],
    [("customer", "data", "GET"), ("customer", "data", "POST"), ("store", "config", "GET")],
    [("customer", "data", "GET"), ("behavioral_event", "data", "POST"), ("points", "data", "GET"),
     ("points", "data", "POST"), ("till", "config", "GET")],
    [("product", "data", "GET"), ("customer", "data", "GET"), ("transaction", "data", "POST"),
     ("transaction", "data", "GET"), ("organization", "config", "GET")],
    [("customer", "data", "PUT"), ("customer", "data", "GET"), ("otp", "data", "POST")],
    [("card", "data", "GET"), ("card", "data", "POST"), ("customer", "data", "GET"), ("points", "data", "GET"),
     ("store", "config", "GET")],
    [("user_group", "data", "GET"), ("user_group", "data", "POST"), ("customer", "data", "GET")],
    [("lead", "data", "POST"), ("customer", "data", "POST"), ("survey", "data", "POST"), ("image", "data", "GET"),
     ("request", "data", "POST")],
    [("staff", "data", "GET"), ("webhooks", "config", "GET"), ("webhooks", "config", "POST")],
    [("target_loyalty", "data", "GET"), ("task", "data", "GET"), ("partner", "data", "GET"),
     ("customer", "data", "GET"), ("coupon", "data", "POST")],
]


def _copy(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _load(org, n_stores: int, n_rows: int) -> None:
    """n_stores stores of `org` (none allocated) and about n_rows usage rows of their tills."""
    from enforcement.models import UsageRecord
    from groups import store_counts
    from stores.models import Store

    now = timezone.now()
    prefix = org.code
    _copy(Store._meta.db_table, ["org_id", "code", "name", "city", "created_at", "updated_at"],
          ((org.pk, f"{prefix}-{i:06d}", f"Store {i}", "Oslo", now, now) for i in range(n_stores)))
    store_counts.rebuild(org_id=org.pk, counts={None: n_stores})  # COPY bypassed the kept per-group counts
    per_store = n_rows / n_stores
    today = now.date()
    rng = random.Random(17)

    def rows():
        for i in range(n_stores):
            kinds = SHAPES[i % len(SHAPES)]
            days = max(1, min(DAYS, round(per_store / len(kinds))))  # ~20 rows a store, whatever its shape
            for resource_key, api, method in kinds:
                for d in range(days):
                    yield (org.pk, "till", f"{prefix}-{i:06d}-t1", f"{prefix}-{i:06d}", resource_key, api, method,
                           "would_deny" if rng.random() < 0.3 else "allowed", "POS", today - timedelta(days=d),
                           rng.randint(1, 500), now)

    _copy(UsageRecord._meta.db_table,
          ["org_id", "caller_kind", "caller", "store_code", "resource", "api", "method", "outcome", "access_group",
           "day", "count", "last_seen_at"], rows())


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    from accessadmin.testing import make_org
    from enforcement.models import UsageRecord
    from groups.builtins import ensure_builtins
    from rollout import services

    if connection.vendor != "postgresql":
        print("bench_rollout: needs PostgreSQL (DATABASE_URL=postgres://…); skipped")
        return
    settings.DEBUG = False  # no query log: it would hold every batch's SQL
    with throwaway_database():
        ensure_builtins()
        orgs = []
        t0 = time.perf_counter()
        for n_stores, n_rows in SIZES:
            org = make_org(f"r{n_stores // 1000}k")
            _load(org, n_stores, n_rows)
            orgs.append((org, n_stores, UsageRecord.objects.filter(org=org).count()))
        with connection.cursor() as c:
            c.execute("ANALYZE")
        load_s = time.perf_counter() - t0
        rows = [("data loaded (COPY)", f"{load_s:.1f} s")]
        plans = []
        for org, n_stores, n_rows in orgs:
            rss_before = _rss_mb()
            start = time.perf_counter()
            plan = services.plan_create(actor=None, org=org, days=DAYS)
            seconds = time.perf_counter() - start
            rss_growth = _rss_mb() - rss_before
            tracemalloc.start()
            services.plan_create(actor=None, org=org, days=DAYS)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            plans.append(plan)
            label = f"{n_stores:,} stores, {n_rows:,} usage rows"
            rows += [
                (f"{label}: plan", f"{seconds:.2f} s ({n_rows / seconds:,.0f} rows/s); {plan.groups.count()} groups, "
                                   f"{plan.stores_with_usage:,} stores, would-deny {plan.would_deny_count}"),
                (f"{label}: Python memory peak (tracemalloc)", f"{peak / 2**20:.1f} MiB"),
                (f"{label}: peak RSS growth", f"{rss_growth:.1f} MiB"),
            ]
        report("Rollout planning (PostgreSQL)", rows)
        large = orgs[-1][0]
        start = time.perf_counter()
        applied = services.plan_apply(actor=None, org=large, plan=plans[-1])
        report("Rollout apply (PostgreSQL)", [(f"apply the {SIZES[-1][0]:,}-store plan",
                                               f"{time.perf_counter() - start:.1f} s ({applied.stores_with_usage:,} "
                                               "stores allocated with their audit events, one transaction)")])


if __name__ == "__main__":
    from benchmarks.common import setup_django

    setup_django()
    main()
