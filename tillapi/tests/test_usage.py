"""Rollout safety: PATCH /api/v1/org/ and its page, the usage log (cheap counting, API and pages), and
"Suggest a group" (least-privilege cells from a store's tills, one-step group creation)."""

import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from enforcement import usage
from enforcement.models import UsageRecord
from groups.models import AccessGroup


@pytest.fixture
def store_till(make_store, make_till, acme):
    store = make_store(acme, "acme-s007")
    return store, make_till(acme, store, code="acme-s007-t1")


def test_org_settings_api(api, acme, acme_admin):
    client = api(acme_admin)
    assert client.get("/api/v1/org/").json() == {"code": "acme", "name": "Acme Retail", "basic_auth_enabled": True,
                                                "basic_auth_for_new_tills": True, "enforcement_mode": "enforce"}
    response = client.patch("/api/v1/org/", {"enforcement_mode": "report_only"}, format="json")
    assert response.status_code == 200 and response.json()["enforcement_mode"] == "report_only"
    bad = client.patch("/api/v1/org/", {"enforcement_mode": "maybe"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_enforcement_mode"
    assert client.patch("/api/v1/org/", {"basic_auth_enabled": False}, format="json").json()[
        "basic_auth_enabled"] is False
    acme.refresh_from_db()
    assert (acme.basic_auth_enabled, acme.enforcement_mode) == (False, "report_only")
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    assert api(csr).patch("/api/v1/org/", {"enforcement_mode": "enforce"}, format="json").status_code == 403


def test_enforcement_page(till_client, pages, acme, acme_admin, store_till):
    page = pages(acme_admin)
    assert page.get("/stores/-/enforcement/").status_code == 200
    response = page.post("/stores/-/enforcement/", {"basic_auth_enabled": "on", "enforcement_mode": "report_only"})
    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.enforcement_mode == "report_only"
    assert till_client(store_till[1].code).get("/v2/stores").status_code == 200  # would deny, passes
    # checkbox off: Basic off, which first says what breaks and asks
    html = page.post("/stores/-/enforcement/", {"enforcement_mode": "enforce"}).content.decode()
    assert "Switch Basic auth off for Acme Retail?" in html
    assert "1 active till</strong> used Basic auth in the last 30 days" in html  # the till used above
    assert "0 of 1 active till</strong> have OAuth2 client credentials" in html
    acme.refresh_from_db()
    assert acme.basic_auth_enabled is True and acme.enforcement_mode == "report_only"  # nothing saved yet
    response = page.post("/stores/-/enforcement/", {"enforcement_mode": "enforce", "confirm": "1"})
    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.basic_auth_enabled is False and acme.enforcement_mode == "enforce"
    assert till_client(store_till[1].code).get("/v2/customers").status_code == 401


def test_counting_writes_nothing_until_a_flush(till_client, store_till, django_assert_num_queries):
    client = till_client(store_till[1].code)
    client.get("/v2/customers")
    with django_assert_num_queries(1):  # warm: the view's own read only; no auth query, no usage insert
        client.get("/v2/transactions")
    assert UsageRecord.objects.count() == 0
    assert usage.flush() == 2
    assert usage.flush() == 0
    client.get("/v2/customers")
    usage.flush()
    counts = {(r.resource, r.method, r.outcome): r.count for r in UsageRecord.objects.all()}
    assert counts == {("customer", "GET", "allowed"): 2, ("transaction", "GET", "allowed"): 1}


def test_usage_api_and_would_deny_filter(till_client, api, acme, acme_admin, store_till):
    client = till_client(store_till[1].code)
    client.get("/v2/customers")
    client.get("/v2/stores")  # denied (POS)
    api(acme_admin).patch("/api/v1/org/", {"enforcement_mode": "report_only"}, format="json")
    client.get("/v2/org")  # would deny
    rows = api(acme_admin).get("/api/v1/usage/?days=7").json()["results"]
    assert {(r["resource"], r["api"], r["method"], r["outcome"], r["count"]) for r in rows} == {
        ("customer", "data", "GET", "allowed", 1), ("store", "config", "GET", "denied", 1),
        ("organization", "config", "GET", "would_deny", 1)}
    assert all(r["caller"] == "acme-s007-t1" and r["store_code"] == "acme-s007" and r["access_group"] == "POS"
               for r in rows)
    would = api(acme_admin).get("/api/v1/usage/?outcome=would_deny").json()["results"]
    assert [r["resource"] for r in would] == ["organization"]
    assert api(acme_admin).get("/api/v1/usage/?outcome=bogus").status_code == 400
    assert api(acme_admin).get("/api/v1/usage/?days=0").status_code == 400


def test_usage_is_per_org(till_client, api, acme, globex_admin, store_till):
    till_client(store_till[1].code).get("/v2/customers")
    assert api(globex_admin).get("/api/v1/usage/").json()["results"] == []


def test_suggest_group_api_creates_least_privilege_group_in_one_step(make_customer, till_client, api, acme,
                                                                     acme_admin, store_till):
    store, till = store_till
    client = till_client(till.code)
    customer = make_customer(acme)
    api(acme_admin).patch("/api/v1/org/", {"enforcement_mode": "report_only"}, format="json")
    client.get("/v2/customers")
    client.post("/v2/transactions", {"customer_id": customer.pk, "bill_number": "B", "amount": "3"}, format="json")
    client.get("/v2/org")  # would deny under POS, but used: part of the suggestion
    suggestion = api(acme_admin).get(f"/api/v1/stores/{store.code}/suggested-group/?days=30").json()
    assert suggestion["permissions"] == [
        {"resource": "customer", "api": "data", "read": True, "write": False},
        {"resource": "transaction", "api": "data", "read": False, "write": True},
        {"resource": "organization", "api": "config", "read": True, "write": False},
    ]
    created = api(acme_admin).post(f"/api/v1/stores/{store.code}/suggested-group/",
                                   {"name": "S007 minimal", "allocate": True}, format="json")
    assert created.status_code == 201
    group = AccessGroup.objects.get(pk=created.json()["id"])
    store.refresh_from_db()
    assert store.access_group == group
    api(acme_admin).patch("/api/v1/org/", {"enforcement_mode": "enforce"}, format="json")
    assert client.get("/v2/org").status_code == 200
    assert client.get("/v2/transactions").status_code == 403  # only write was used
    dup = api(acme_admin).post(f"/api/v1/stores/{store.code}/suggested-group/", {"name": "S007 minimal"},
                               format="json")
    assert dup.status_code == 400 and dup.json()["code"] == "duplicate_name"


def test_suggest_with_no_usage_is_refused(api, acme_admin, store_till):
    response = api(acme_admin).post("/api/v1/stores/acme-s007/suggested-group/", {"name": "Empty"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "no_usage"
    assert "in the last 30 days." in response.json()["message"]
    response = api(acme_admin).post("/api/v1/stores/acme-s007/suggested-group/", {"name": "Empty", "days": 1},
                                    format="json")
    assert "in the last 1 day." in response.json()["message"]  # never "1 days"
    assert not AccessGroup.objects.filter(name="Empty").exists()


def test_usage_and_suggest_pages(till_client, pages, acme, acme_admin, store_till, globex_admin):
    store, till = store_till
    client = till_client(till.code)
    client.get("/v2/customers")
    client.get("/v2/stores")
    page = pages(acme_admin)
    listing = page.get("/stores/-/usage/?outcome=denied")
    assert listing.status_code == 200 and b"acme-s007-t1" in listing.content and b"denied" in listing.content
    suggest = page.get(f"/stores/-/usage/suggest/{store.code}/")
    assert suggest.status_code == 200 and b"customer" in suggest.content
    response = page.post(f"/stores/-/usage/suggest/{store.code}/", {"name": "From page", "allocate": "on"})
    assert response.status_code == 302
    store.refresh_from_db()
    assert store.access_group.name == "From page"
    assert pages(globex_admin).get(f"/stores/-/usage/suggest/{store.code}/").status_code == 404


@pytest.mark.parametrize("rows", [1, 25])
def test_usage_list_query_counts(make_till, till_client, api, pages, acme, acme_admin, rows,
                                 django_assert_num_queries):
    for _ in range(rows):
        till_client(make_till(acme).code).get("/v2/customers")
    usage.flush()
    client, page = api(acme_admin), pages(acme_admin)
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/usage/").json()["results"]) == rows
    with django_assert_num_queries(6):
        assert page.get("/stores/-/usage/").status_code == 200


def test_unusual_methods_are_counted_as_other_and_a_bad_counter_does_not_block_the_rest(till_client, acme, store_till):
    from unittest import mock

    from django.db import DataError

    client = till_client(store_till[1].code)
    client.get("/authz/check", HTTP_X_ORIGINAL_METHOD="BREW-A-VERY-LONG-METHOD", HTTP_X_ORIGINAL_URI="/v2/customers")
    client.get("/v2/customers")
    real = usage._upsert
    calls = []

    def refuse_first(key, n, seen):
        calls.append(key)
        if len(calls) == 1:
            raise DataError("value too long")
        return real(key, n, seen)

    with mock.patch.object(usage, "_upsert", side_effect=refuse_first):
        assert usage.flush() == 1
    assert UsageRecord.objects.count() == 1
    assert {k[6] for k in calls} == {"GET", "OTHER"}
    assert usage.flush() == 0


def test_counters_survive_a_database_outage(till_client, store_till):
    from unittest import mock

    from django.db import OperationalError

    till_client(store_till[1].code).get("/v2/customers")
    with mock.patch.object(usage, "_upsert", side_effect=OperationalError("down")):
        assert usage.flush() == 0
    assert usage.flush() == 1
    assert UsageRecord.objects.get().count == 1
