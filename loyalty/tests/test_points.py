"""The points ledger: balances never go below zero, whatever runs at the same time (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connections

from accessadmin.testing import make_org
from loyalty import services as loyalty_services
from loyalty.selectors import points_balance
from loyalty.services import InsufficientPoints


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_redemptions_never_overdraw(give_points, make_customer):
    org = make_org("redeemorg", "Redeem Org")
    customer = make_customer(org)
    give_points(org, customer.pk, 50)

    class Caller:
        till_id = None
        api_client_id = None

    results, barrier = [], threading.Barrier(10)

    def redeem():
        try:
            barrier.wait()
            loyalty_services.points_redeem(caller=Caller(), org=org, customer_id=customer.pk, points=10)
            results.append("ok")
        except InsufficientPoints:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=redeem) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 5 and results.count("refused") == 5
    assert points_balance(org=org, customer_id=customer.pk) == 0
