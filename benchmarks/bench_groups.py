"""Access groups at scale: 10,000 groups and 100,000 stores in one org (PostgreSQL).

Prints the server time of the group list page (default sort and sorted by store
count) next to the same page for an org with 10 groups, and the time to allocate
10,000 stores through the service (row locks + audit rows) next to a bare UPDATE
of the same rows.
"""

import time

from django.db import connection
from django.test import Client

from benchmarks.common import report, side_by_side, throwaway_database, timed

N_GROUPS = 10_000
N_STORES = 100_000
N_ALLOCATE = 10_000


def _load(org, n_groups, n_stores, prefix):
    from groups.models import AccessGroup, ApiResource, PermissionCell
    from stores.models import Store

    customer = ApiResource.objects.get(key="customer")
    groups = AccessGroup.objects.bulk_create(
        [AccessGroup(org=org, name=f"{prefix} group {i:05d}", description="bench") for i in range(n_groups)],
        batch_size=2000)
    PermissionCell.objects.bulk_create(
        [PermissionCell(group=g, resource=customer, api="data", read=True) for g in groups], batch_size=5000)
    Store.objects.bulk_create(
        [Store(org=org, code=f"{prefix}-{i:06d}", name=f"Store {i}", city="Oslo",
               access_group=groups[i % n_groups] if i % 3 == 0 else None) for i in range(n_stores)],
        batch_size=5000)
    return groups


def main():
    from accessadmin.privileges import Privilege
    from accessadmin.testing import make_org, make_user
    from groups.builtins import ensure_builtins
    from stores import services as store_services
    from stores.models import Store

    if connection.vendor != "postgresql":
        print("bench_groups: needs PostgreSQL (DATABASE_URL=postgres://…); skipped")
        return
    with throwaway_database():
        ensure_builtins()
        big, small = make_org("big"), make_org("small")
        t0 = time.perf_counter()
        groups = _load(big, N_GROUPS, N_STORES, "big")
        _load(small, 10, 100, "small")
        for org in (big, small):  # bulk_create skips the services: count the stores once
            store_services.store_counts_check(org=org, repair=True)
        load_s = time.perf_counter() - t0
        with connection.cursor() as c:
            c.execute("ANALYZE")
        admin_big = make_user(big, privileges=[Privilege.ADMIN])
        admin_small = make_user(small, privileges=[Privilege.ADMIN])
        big_client, small_client = Client(), Client()
        big_client.force_login(admin_big)
        small_client.force_login(admin_small)

        def page(client, url):
            def get():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            return get

        list_big, list_small = side_by_side(page(big_client, "/groups/"), page(small_client, "/groups/"), rounds=9)
        sort_big, sort_small = side_by_side(page(big_client, "/groups/?ordering=-store_count"),
                                            page(small_client, "/groups/?ordering=-store_count"), rounds=5)
        api_big, api_small = side_by_side(page(big_client, "/api/v1/access-groups/?search=group%200999"),
                                          page(small_client, "/api/v1/access-groups/?search=group%200009"), rounds=9)

        target = groups[-1]
        codes = [f"big-{i:06d}" for i in range(1, N_ALLOCATE * 3, 3)][:N_ALLOCATE]

        def allocate():
            store_services.stores_allocate(actor=admin_big, org=big, group=target, store_codes=codes)

        def unallocate_all():
            Store.objects.filter(org=big, access_group=target).update(access_group=None)
            store_services.store_counts_check(org=big, repair=True)  # a raw write: not timed

        service_times, bare_times = [], []
        for _ in range(3):
            unallocate_all()
            service_times.append(timed(allocate, repeat=1))
            unallocate_all()
            bare_times.append(timed(lambda: Store.objects.filter(org=big, code__in=codes)
                                    .update(access_group=target), repeat=1))
        service_s, bare_s = sorted(service_times)[1], sorted(bare_times)[1]

    ms = 1000
    report(f"access groups: {N_GROUPS:,} groups and {N_STORES:,} stores in one org (PostgreSQL)", [
        ("data load (bulk)", f"{load_s:.1f} s"),
        ("group list page, default sort", f"{list_big * ms:.1f} ms  vs 10-group org {list_small * ms:.1f} ms  "
                                          f"(ratio {list_big / list_small:.2f})"),
        ("group list page, by store count", f"{sort_big * ms:.1f} ms  vs 10-group org {sort_small * ms:.1f} ms  "
                                            f"(ratio {sort_big / sort_small:.2f})"),
        ("group list API, search", f"{api_big * ms:.1f} ms  vs 10-group org {api_small * ms:.1f} ms  "
                                   f"(ratio {api_big / api_small:.2f})"),
        (f"allocate {N_ALLOCATE:,} stores (service)", f"{service_s * ms:.0f} ms  vs bare UPDATE {bare_s * ms:.0f} ms  "
                                                     f"(ratio {service_s / bare_s:.1f}; locks, checks, "
                                                     f"{N_ALLOCATE:,} audit rows)"),
    ])
