"""Pages at scale: one org of 10,000 groups and 100,000 stores (manage.py generate_scale_data), PostgreSQL.

Prints, for each page, the server time (the Django test client calls the view in this process: no network,
no browser) as min / median / max of ROUNDS rounds, the response size and the number of queries; then the
time to allocate 10,000 stores through the service (locks, counts and audit rows included) against a bare
UPDATE of the same rows, interleaved, as a ratio per round.
"""

import statistics
import time

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.common import report, throwaway_database

N_GROUPS = 10_000
N_STORES = 100_000
N_TILLS = 20_000
N_ALLOCATE = 10_000
ROUNDS = 5
PAGES = [
    ("store list, first page", "/stores/"),
    ("store list, deep page (3,000 of 4,000)", "/stores/?page=3000"),
    ("store list, filtered by a group", "/stores/?group={group}"),
    ("default-group page", "/groups/default/"),
    ("group list by store count, first page", "/groups/?sort=-stores&ordering=-store_count"),
    ("group list by store count, deep page (350 of 400)", "/groups/?sort=-stores&ordering=-store_count&page=350"),
    ("group list by name, deep page (350 of 400)", "/groups/?page=350"),
    ("group choices, search as you type", "/groups/-/choices/?q=Group%20099"),
    ("store choices, search as you type", "/stores/-/choices/?q=scale-s0999"),
]


def _spread(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return f"{min(ms):7.1f} / {statistics.median(ms):7.1f} / {max(ms):7.1f} ms"


def _pages(client, group_id) -> list[tuple[str, str]]:
    rows = []
    for label, url in PAGES:
        url = url.format(group=group_id)
        first = client.get(url)  # warms what a process keeps between requests
        if first.status_code == 404:
            rows.append((label, "— (no such page in this version)"))
            continue
        assert first.status_code == 200, (url, first.status_code)
        samples = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        rows.append((label, f"{_spread(samples)}  {len(response.content) / 1024:6.1f} KB  "
                            f"{len(queries.captured_queries):2d} queries"))
    return rows


def _allocation(org, admin, target) -> tuple[str, str]:
    from stores import services as store_services
    from stores.models import Store

    # Every 7th store from the 10,000th on: they come from many groups (and from none).
    rows = list(Store.objects.filter(org=org).exclude(access_group=target).order_by("code")
                .values_list("pk", "code", "access_group_id")[N_STORES // 10::7][:N_ALLOCATE])
    codes = [code for _, code, _ in rows]

    def restore():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Store._meta.db_table} s SET access_group_id = v.g FROM "
                f"unnest(%s::bigint[], %s::bigint[]) AS v(id, g) WHERE s.id = v.id",
                [[pk for pk, _, _ in rows], [g for _, _, g in rows]])
        if hasattr(store_services, "store_counts_check"):  # absent before the counts were kept
            store_services.store_counts_check(org=org, repair=True)

    def service():
        store_services.stores_allocate(actor=admin, org=org, group=target, store_codes=codes)

    def bare():
        Store.objects.filter(org=org, code__in=codes).update(access_group=target)

    ratios, service_s, bare_s = [], [], []
    for _ in range(ROUNDS):
        restore()
        start = time.perf_counter()
        service()
        service_s.append(time.perf_counter() - start)
        restore()
        start = time.perf_counter()
        bare()
        bare_s.append(time.perf_counter() - start)
        ratios.append(service_s[-1] / bare_s[-1])
    restore()
    with CaptureQueriesContext(connection) as queries:
        service()
    return (f"allocate {len(codes):,} stores ÷ bare UPDATE",
            f"{min(ratios):.2f} / {statistics.median(ratios):.2f} / {max(ratios):.2f}  "
            f"(service {_spread(service_s)}, bare {_spread(bare_s)}; {len(queries.captured_queries)} queries)")


def main():
    from accessadmin.models import Org
    from accessadmin.privileges import Privilege
    from accessadmin.testing import make_user
    from groups.builtins import ensure_builtins
    from groups.models import AccessGroup

    if connection.vendor != "postgresql":
        print("bench_pages: needs PostgreSQL (DATABASE_URL=postgres://…); skipped")
        return
    with throwaway_database():
        ensure_builtins()
        start = time.perf_counter()
        call_command("generate_scale_data", org="scale", groups=N_GROUPS, stores=N_STORES, tills=N_TILLS,
                     stdout=open("/dev/null", "w"))
        load_s = time.perf_counter() - start
        org = Org.objects.get(code="scale")
        admin = make_user(org, privileges=[Privilege.ADMIN])
        client = Client()
        client.force_login(admin)
        big_group = (AccessGroup.objects.filter(org=org, is_active=True).order_by("pk").first())
        rows = [("generate_scale_data", f"{load_s:.1f} s")]
        rows += _pages(client, big_group.pk)
        target = AccessGroup.objects.filter(org=org, is_active=True).order_by("-pk").first()
        rows.append(_allocation(org, admin, target))
    report(f"pages at scale: {N_GROUPS:,} groups, {N_STORES:,} stores, {N_TILLS:,} tills in one org (PostgreSQL); "
           f"server time min / median / max of {ROUNDS} rounds", rows)
