"""Executing due PII deletion requests: seconds per request and queries per request (constant).

Seeds BENCH_PRIVACY_REQUESTS (default 10,000) customers with personal data and an approved, due
request each, then runs privacy.services.execute_due in batches of 500 (the periodic task takes 1,000).
"""

import os
import time

from benchmarks.common import report, throwaway_database

REQUESTS = int(os.environ.get("BENCH_PRIVACY_REQUESTS", "10000"))


def _seed():
    from django.utils import timezone

    from accessadmin import services as core
    from accessadmin.models import User
    from privacy import services
    from privacy.models import DeletionRequest, Status
    from shopperdata import selectors
    from shopperdata.models import Profile

    core.ensure_builtin_privileges()
    org = core.org_create(actor=None, code="bench", name="Bench")
    selectors.property_list(org=org)
    staff = User.objects.create(username="bench-staff", is_superuser=True)
    services.settings_update(actor=staff, org=org, changes={"deletion_enabled": True, "approval_required": False,
                                                            "waiting_period_days": 0})
    profiles = Profile.objects.bulk_create(
        [Profile(org=org, email=f"c{i}@example.com", mobile=f"+4917{i:08d}", first_name="Ann", last_name="Lee",
                 properties={"gender": "female", "dateOfBirth": "1990-01-01"}, deletion_pending=True)
         for i in range(REQUESTS)], batch_size=1000)
    now = timezone.now()
    DeletionRequest.objects.bulk_create(
        [DeletionRequest(org=org, customer=p, status=Status.APPROVED, source="BULK", raised_by_key="bench",
                         due_at=now, created_at=now) for p in profiles], batch_size=1000)
    return now


def main():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from privacy import services

    with throwaway_database():
        now = _seed()
        done, queries, start, cpu = 0, 0, time.perf_counter(), time.process_time()
        while True:
            connection.queries_log.clear()  # the log keeps at most 9,000 queries across captures
            with CaptureQueriesContext(connection) as ctx:
                counts = services.execute_due(now=now, limit=500)  # 500 × 12 queries fit the 9,000-query capture log
            if not counts:
                break
            done += counts.get("completed", 0)
            queries += len(ctx.captured_queries)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    report(f"privacy: executing {REQUESTS:,} due deletion requests", [
        ("completed", f"{done:,}"),
        ("ms per request", f"{1000 * seconds / max(done, 1):.2f}"),
        # The machine may be shared: this process's CPU time (Python and the driver, not the database server).
        ("CPU ms per request", f"{1000 * cpu_seconds / max(done, 1):.2f}"),
        ("queries per request", f"{queries / max(done, 1):.2f}"),
    ])
