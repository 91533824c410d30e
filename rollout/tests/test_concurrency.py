"""Applying one plan from two requests at once on PostgreSQL (real row locks, real threads): exactly one applies,
the other is refused with plan_not_draft, and the custom group is made once."""

import threading

import pytest
from django.db import connection

from accessadmin.errors import AppError
from groups.models import AccessGroup
from rollout import services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_applies_of_one_plan_make_one_change(acme, acme_admin, api, make_stores, make_till, till_client):
    api(acme_admin).patch("/api/v1/org/", {"enforcement_mode": "report_only"}, format="json")
    stores = make_stores(acme, 6)
    for store in stores:
        make_till(acme, store, code=f"{store.code}-t1")
        assert till_client(f"{store.code}-t1").get("/v2/stores").status_code == 200  # would deny under POS
    plan = services.plan_create(actor=None, org=acme, days=1)
    assert plan.stores_with_usage == 6
    outcomes = []

    def apply():
        try:
            services.plan_apply(actor=None, org=acme, plan=plan)
            outcomes.append("applied")
        except AppError as e:
            outcomes.append(str(e.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["applied", "plan_not_draft"]
    assert AccessGroup.objects.filter(org=acme, name="Store config R").count() == 1
    assert set(acme.stores.values_list("access_group__name", flat=True)) == {"Store config R"}
