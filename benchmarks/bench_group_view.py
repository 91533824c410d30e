"""The group view at scale (DESIGN §10): one group of 100 members and 100,000 ledger entries over a year (and
ten other groups of 10,000 entries each in the same org), PostgreSQL.

Prints the server time (the Django test client calls the view in this process: no network) as min / median / max
of ROUNDS rounds, with the number of queries, of:
- the group detail selectors alone (group, members with contributions, loyalty summary with the tracker, slab
  history, children), as the Admin API and the member-care pages call them;
- GET /api/v1/loyalty/groups/{id}/ (the same, rendered as JSON for a CS agent, identities masked);
- GET /api/v1/loyalty/groups/{id}/ledger/ (the first page);
- the member-care pages of the group (Overview, Loyalty, Events), when this version has them.
The goal is ≤ 100 ms for the group view; the same reads of a small group (10 members, 1,000 entries) are
printed beside for the ratio.
"""

import random
import statistics
import time
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.common import report, throwaway_database

MEMBERS, ENTRIES = 100, 100_000
OTHER_GROUPS, OTHER_ENTRIES = 10, 10_000
ROUNDS = 7


def _group(org, external_id, members, entries, rng, now):
    from loyalty import services
    from loyalty.models import GroupLedgerEntry, UserGroup
    from shopperdata.models import Profile

    profiles = Profile.objects.bulk_create([
        Profile(org=org, email=f"{external_id.lower()}-{i}@example.com", mobile=f"+49{rng.randrange(10**11):011d}",
                first_name="Ann", last_name=f"Lee{i}") for i in range(members)])
    group = services.group_create(org=org, external_id=external_id, name=external_id, max_group_size=members,
                                  now=now - timedelta(days=400))
    services.group_join(org=org, group_id=group.pk, now=now - timedelta(days=400), members=[
        {"customer_id": p.pk, "primary": i == 0, "default_group": True} for i, p in enumerate(profiles)])
    balance, rows = 0, []
    for i in range(entries):
        points = rng.randrange(1, 60)
        balance += points
        rows.append(GroupLedgerEntry(org=org, group=group, customer_id=profiles[i % members].pk, kind="earn",
                                     points=points, balance_after=balance,
                                     created_at=now - timedelta(seconds=rng.randrange(365 * 86400))))
    GroupLedgerEntry.objects.bulk_create(rows, batch_size=5000)
    UserGroup.objects.filter(pk=group.pk).update(balance=balance, lifetime_points=balance, slab_index=2,
                                                 slab_expires_at=now + timedelta(days=100))
    return group


def _seed():
    from django.utils import timezone

    from accessadmin import services as core
    from accessadmin.privileges import Privilege
    from accessadmin.testing import make_user
    from loyalty.models import GroupProgram
    from shopperdata import selectors as shopper_selectors

    core.ensure_builtin_privileges()
    org = core.org_create(actor=None, code="bench", name="Bench")
    shopper_selectors.property_list(org=org)
    GroupProgram.objects.create(org=org, enabled=True, max_group_size=1000)
    rng, now = random.Random(10), timezone.now()
    big = _group(org, "BIG", MEMBERS, ENTRIES, rng, now)
    small = _group(org, "SMALL", 10, 1_000, rng, now)
    for n in range(OTHER_GROUPS):
        _group(org, f"OTHER{n}", 10, OTHER_ENTRIES, rng, now)
    if connection.vendor == "postgresql":
        # The steady state of a table that grew by inserts: since PostgreSQL 13 autovacuum vacuums such tables
        # (the visibility map lets the ledger's sums read its indexes only) and analyses them.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    csr = make_user(org, username="bench-csr", privileges=[Privilege.CS_AGENT])
    return org, csr, big, small


def _detail_selectors(org, csr, group_id):
    from loyalty import selectors
    from shopperdata import selectors as shopper_selectors

    def run():
        program = selectors.require_enabled(org=org)
        group = selectors.group_detail_get(org=org, group_id=group_id)
        plan = shopper_selectors.plan_for(actor=csr, org=org)
        points = selectors.group_points(group=group, program=program)
        rows = selectors.member_rows(org=org, plan=plan, points=points,
                                     memberships=selectors.membership_list(group=group, with_contribution=False))
        summary = selectors.loyalty_summary(group=group, program=program, tracked=points.tracker)
        history = list(selectors.slab_history(group=group)[:50])
        children = selectors.child_ids(group=group)
        return rows, summary, history, children
    return run


def _measure(fn) -> tuple[list[float], int]:
    fn()  # warm what a process keeps between requests
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        fn()
    return samples, len(queries.captured_queries)


def _spread(samples) -> str:
    ms = [s * 1000 for s in samples]
    return f"{min(ms):7.1f} / {statistics.median(ms):7.1f} / {max(ms):7.1f} ms"


def _get(client, url):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response
    return run


def main():
    with throwaway_database():
        org, csr, big, small = _seed()
        client = Client()
        client.force_login(csr)
        rows = []
        cases = [("detail selectors", lambda g: _detail_selectors(org, csr, g.pk)),
                 ("GET /api/v1/loyalty/groups/{id}/", lambda g: _get(client, f"/api/v1/loyalty/groups/{g.pk}/")),
                 ("GET /api/v1/loyalty/groups/{id}/ledger/", lambda g: _get(client,
                                                                           f"/api/v1/loyalty/groups/{g.pk}/ledger/"))]
        for tab, suffix in (("Overview", ""), ("Loyalty", "loyalty/"), ("Events", "events/")):
            probe = client.get(f"/loyalty/groups/{big.pk}/{suffix}")
            if probe.status_code == 200:
                cases.append((f"page: {tab} tab", lambda g, s=suffix: _get(client, f"/loyalty/groups/{g.pk}/{s}")))
            else:
                rows.append((f"page: {tab} tab", f"— (status {probe.status_code}: not in this version)"))
        for label, make in cases:
            big_samples, big_queries = _measure(make(big))
            small_samples, _ = _measure(make(small))
            ratio = statistics.median(big_samples) / statistics.median(small_samples)
            rows.append((label, f"{_spread(big_samples)}  {big_queries:2d} queries  "
                                f"(small group {statistics.median(small_samples) * 1000:6.1f} ms, ×{ratio:4.1f})"))
    report(f"group view: {MEMBERS} members, {ENTRIES:,} ledger entries ({connection.vendor}; goal ≤ 100 ms)", rows)


if __name__ == "__main__":
    from benchmarks.common import setup_django

    setup_django()
    main()
