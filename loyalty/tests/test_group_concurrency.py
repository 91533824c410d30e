"""Group wallets and capacities under concurrency (PostgreSQL, real threads): redemptions by two members never
overdraw the group, and concurrent joins never pass the group's size."""

import threading

import pytest
from django.db import connections

from accessadmin.testing import make_org
from loyalty import selectors, services
from loyalty.models import GroupLedgerEntry, GroupMembership
from loyalty.services import InsufficientPoints

from .conftest import SystemCaller


def _run_together(functions) -> list:
    results, barrier = [], threading.Barrier(len(functions))

    def run(function):
        try:
            barrier.wait()
            results.append(function())
        except Exception as err:  # noqa: BLE001  (the test counts refusals by type)
            results.append(err)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_members_redeeming_at_once_never_overdraw_the_group(program_on, make_family, buy):
    org = make_org("grouporg", "Group Org")
    program_on(org)
    group, (first, second) = make_family(org, permissions=["allow_points_redemption"])
    buy(org, first, "50")
    redeem = [lambda c=c: services.group_redeem(caller=SystemCaller(), org=org, group_id=group.pk,
                                                customer_id=c.pk, points=10)
              for c in (first, second) * 5]
    results = _run_together(redeem)
    assert sum(isinstance(r, int) for r in results) == 5
    assert sum(isinstance(r, InsufficientPoints) for r in results) == 5
    group.refresh_from_db()
    assert group.balance == 0
    assert sum(GroupLedgerEntry.objects.filter(group=group).values_list("points", flat=True)) == 0
    assert sorted(r for r in results if isinstance(r, int)) == [0, 10, 20, 30, 40]  # each saw its own balance
    assert selectors.points_balance(org=org, customer_id=first.pk) == 50  # the member's own wallet untouched


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_joins_stop_at_the_group_size(program_on, make_customer):
    org = make_org("joinorg", "Join Org")
    program_on(org)
    group = services.group_create(org=org, external_id="g", max_group_size=4)
    customers = [make_customer(org) for _ in range(10)]
    results = _run_together([lambda c=c: services.group_join(org=org, group_id=group.pk,
                                                             members=[{"customer_id": c.pk}])[0]
                             for c in customers])
    assert sum(r.code is None for r in results) == 4
    assert GroupMembership.objects.filter(group=group, left_at__isnull=True).count() == 4
