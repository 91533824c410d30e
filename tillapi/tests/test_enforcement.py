"""Enforcement behaviour beyond the matrix: changes take effect on the next request, the warm
verification path, throttling, Basic switched off, report-only rollout, tenant isolation, 401/503."""

from unittest import mock

import pytest
from django.db import OperationalError
from rest_framework.test import APIClient

from enforcement import auth
from enforcement import services as enforcement_services
from groups import services as group_services
from groups.builtins import ADMIN, INSTORE, POS
from stores import credentials
from stores import services as store_services


@pytest.fixture
def till(make_store, make_till, acme):
    return make_till(acme, make_store(acme, "acme-s900"), code="acme-s900-t1")


def test_no_credentials_is_401_with_basic_challenge(acme):
    response = APIClient().get("/v2/org")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="accessadmin"'
    assert response.json()["errors"][0]["status"] is False


def test_wrong_secret_unknown_till_and_garbage_are_401(till_client, till):
    for client in (till_client(till.code, "wrong-secret"), till_client("no-such-till")):
        response = client.get("/v2/customers")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Basic realm="accessadmin"'
    garbage = APIClient()
    garbage.credentials(HTTP_AUTHORIZATION="Basic !!!notbase64")
    assert garbage.get("/v2/customers").status_code == 401


def test_secret_and_md5_verify_against_one_stored_hash(till_secret, till_client, till):
    assert till.secret_hash.startswith("md5$")  # the test hasher; production uses PBKDF2
    assert credentials.verify(till_secret, till.secret_hash)
    assert credentials.verify(credentials.md5_form(till_secret), till.secret_hash)
    assert till_client(till.code).get("/v2/customers").status_code == 200
    assert till_client(till.code, md5=True).get("/v2/customers").status_code == 200


def test_warm_requests_skip_the_slow_hash_and_need_one_query(till_client, till, django_assert_num_queries):
    client = till_client(till.code)
    with mock.patch.object(credentials, "verify", wraps=credentials.verify) as verify:
        assert client.get("/v2/transactions").status_code == 200
        assert verify.call_count == 1
        auth.forget_verifications()  # another process: the shared cache still knows the credential
        for _ in range(3):
            assert client.get("/v2/transactions").status_code == 200
        assert till_client(till.code, md5=True).get("/v2/transactions").status_code == 200  # same fingerprint
        assert verify.call_count == 1
    # Warm: no auth query and no org query (the warm entry, accessadmin.versions); the view's list only.
    with django_assert_num_queries(1):
        assert client.get("/v2/transactions").status_code == 200


def test_rotation_takes_effect_on_the_next_request(till_client, acme, till):
    old = till_client(till.code)
    assert old.get("/v2/customers").status_code == 200  # warm in this process
    till, new_secret = store_services.till_rotate_secret(actor=None, org=acme, till=till)
    assert old.get("/v2/customers").status_code == 401
    assert old.get("/v2/customers").status_code == 401
    assert till_client(till.code, new_secret).get("/v2/customers").status_code == 200
    assert till_client(till.code, new_secret, md5=True).get("/v2/customers").status_code == 200


def test_deactivation_takes_effect_on_the_next_request(till_client, acme, till):
    client = till_client(till.code)
    assert client.get("/v2/customers").status_code == 200
    store_services.till_set_active(actor=None, org=acme, till=till, active=False)
    assert client.get("/v2/customers").status_code == 401
    store_services.till_set_active(actor=None, org=acme, till=till, active=True)
    assert client.get("/v2/customers").status_code == 200


def test_allocation_permission_edit_and_default_switch_take_effect_on_the_next_request(builtin, make_group,
                                                                                       till_client, acme, till):
    client = till_client(till.code)
    assert client.get("/v2/stores").status_code == 403  # POS (the org default)
    group = make_group(acme, "Store readers", grants={("store", "config", "read")})
    store_services.stores_allocate(actor=None, org=acme, group=group, store_codes=[till.store.code])
    assert client.get("/v2/stores").status_code == 200
    assert client.get("/v2/customers").status_code == 403
    group_services.group_update(actor=None, org=acme, group=group,
                                grants=frozenset({("customer", "data", "read")}))
    assert client.get("/v2/stores").status_code == 403
    assert client.get("/v2/customers").status_code == 200
    store_services.stores_unallocate(actor=None, org=acme, group=group, store_codes=[till.store.code])
    assert client.get("/v2/customers").status_code == 200  # POS again
    assert client.post("/v2/customers", {"mobile": "+4915550001"}, format="json").status_code == 201
    group_services.default_group_set(actor=None, org=acme, group=builtin(INSTORE))
    assert client.get("/v2/customers").status_code == 403  # Instore: write only
    assert client.post("/v2/customers", {"mobile": "+4915550002"}, format="json").status_code == 201
    group_services.default_group_set(actor=None, org=acme, group=builtin(ADMIN))
    assert client.get("/v2/stores").status_code == 200


def test_api_client_group_change_takes_effect_on_the_next_request(bearer_client, builtin, make_api_client,
                                                                  oauth_token, acme):
    api_client, secret = make_api_client(acme, builtin(POS))
    client = bearer_client(oauth_token(api_client.client_id, secret))
    assert client.get("/v2/org").status_code == 403
    store_services.api_client_set_group(actor=None, org=acme, client=api_client, access_group=builtin(ADMIN))
    assert client.get("/v2/org").status_code == 200


def test_org_switch_turns_basic_auth_off_but_not_oauth(bearer_client, builtin, make_api_client, make_till,
                                                       oauth_token, till_client, acme, till):
    client = till_client(till.code)
    assert client.get("/v2/customers").status_code == 200
    api_client, secret = make_api_client(acme, builtin(POS))
    bearer = bearer_client(oauth_token(api_client.client_id, secret))
    enforcement_services.org_enforcement_update(actor=None, org=acme, basic_auth_enabled=False)
    response = client.get("/v2/customers")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == 4011
    other_till = make_till(acme)
    assert till_client(other_till.code).get("/v2/customers").status_code == 401
    assert bearer.get("/v2/customers").status_code == 200
    enforcement_services.org_enforcement_update(actor=None, org=acme, basic_auth_enabled=True)
    assert client.get("/v2/customers").status_code == 200


def test_report_only_passes_would_deny_requests_and_logs_them(till_client, acme, acme_admin, api, till):
    client = till_client(till.code)
    assert client.get("/v2/stores").status_code == 403
    enforcement_services.org_enforcement_update(actor=None, org=acme, enforcement_mode="report_only")
    assert client.get("/v2/stores").status_code == 200
    assert client.get("/v2/stores").status_code == 200
    assert client.get("/v2/customers").status_code == 200
    rows = api(acme_admin).get("/api/v1/usage/?outcome=would_deny").json()["results"]
    assert [(r["caller"], r["resource"], r["api"], r["method"], r["count"]) for r in rows] == [
        (till.code, "store", "config", "GET", 2)]
    all_rows = api(acme_admin).get("/api/v1/usage/").json()["results"]
    outcomes = {(r["resource"], r["outcome"]): r["count"] for r in all_rows}
    assert outcomes == {("store", "denied"): 1, ("store", "would_deny"): 2, ("customer", "allowed"): 1}


LIMIT = auth.throttle.limits["addr"].failures


def test_throttling_per_till_and_address_and_per_address(make_till, till_client, settings, till):
    bad = till_client(till.code, "wrong")
    for _ in range(LIMIT):
        assert bad.get("/v2/customers", REMOTE_ADDR="10.0.0.1").status_code == 401
    response = bad.get("/v2/customers", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["errors"][0]["code"] == 4029
    # The address is blocked for any unproven credential, even the right one of another till...
    other = make_till(till.org)
    assert till_client(other.code).get("/v2/customers", REMOTE_ADDR="10.0.0.1").status_code == 429
    # ...but the till itself is not blocked from other addresses, not even for a cold credential.
    assert till_client(till.code).get("/v2/customers", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert till_client(other.code).get("/v2/customers", REMOTE_ADDR="10.0.0.3").status_code == 200


def test_a_verified_credential_is_not_locked_out_by_someone_guessing(till_client, till):
    good = till_client(till.code)
    assert good.get("/v2/customers").status_code == 200
    bad = till_client(till.code, "wrong")
    for _ in range(LIMIT + 2):
        bad.get("/v2/customers", REMOTE_ADDR="10.9.9.9")
    assert good.get("/v2/customers").status_code == 200


def test_database_down_is_503_code_4001_never_500(till_client, till):
    client = till_client(till.code)
    with mock.patch("enforcement.selectors.till_row", side_effect=OperationalError("down")):
        response = client.get("/v2/customers")
        assert response.status_code == 503
        assert response.json() == {"warnings": [], "errors": [
            {"status": False, "code": 4001, "message": "Authorization status unavailable!"}]}
        check = client.get("/authz/check", HTTP_X_ORIGINAL_METHOD="GET", HTTP_X_ORIGINAL_URI="/v2/customers")
        assert check.status_code == 503
        assert check.json()["errors"][0]["code"] == 4001


def test_database_lost_mid_request_is_503(till_client, till):
    client = till_client(till.code)
    with mock.patch("tillapi.customers.search", side_effect=OperationalError("gone")):
        response = client.get("/v2/customers")
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == 4001


def test_tenant_isolation_acme_till_never_reads_globex_data(builtin, make_customer, make_store, make_till,
                                                            till_client, acme, globex):
    admin_till = make_till(acme, make_store(acme, group=builtin(ADMIN)))
    client = till_client(admin_till.code)
    globex_customer = make_customer(globex)
    make_store(globex, "globex-secret-store")
    globex_till = make_till(globex)
    assert client.get(f"/v2/customers/{globex_customer.pk}").status_code == 404
    assert client.patch(f"/v2/customers/{globex_customer.pk}", {"first_name": "X"}, format="json").status_code == 404
    assert client.get(f"/v2/points/{globex_customer.pk}").status_code == 404
    assert client.post("/v2/points/issue", {"customer_id": globex_customer.pk, "points": 5},
                       format="json").status_code == 404
    assert client.post("/v2/transactions", {"customer_id": globex_customer.pk, "bill_number": "B", "amount": "5"},
                       format="json").status_code == 404
    assert client.get(f"/v2/customers?mobile={globex_customer.mobile}").json() == {"customers": []}
    stores = [s["code"] for s in client.get("/v2/stores").json()["stores"]]
    assert "globex-secret-store" not in stores and stores
    assert globex_till.code not in [t["code"] for t in client.get("/v2/tills").json()["tills"]]
    assert client.get("/v2/org").json()["code"] == "acme"
    assert client.post("/v2/tills", {"store": "globex-secret-store"}, format="json").status_code == 404


def test_points_never_go_below_zero(make_customer, make_till, till_client, acme):
    client = till_client(make_till(acme).code)
    customer = make_customer(acme)
    assert client.post("/v2/points/issue", {"customer_id": customer.pk, "points": 10}, format="json").json()[
        "balance"] == 10
    response = client.post("/v2/points/redeem", {"customer_id": customer.pk, "points": 11}, format="json")
    assert response.status_code == 409
    assert response.json()["balance"] == 10
    assert client.post("/v2/points/redeem", {"customer_id": customer.pk, "points": 10}, format="json").json()[
        "balance"] == 0
    assert client.get(f"/v2/points/{customer.pk}").json()["balance"] == 0
    assert client.post("/v2/points/issue", {"customer_id": customer.pk, "points": -3},
                       format="json").status_code == 400


def test_transaction_credits_points_and_customer_is_a_shopper_profile(make_till, till_client, acme):
    from shopperdata.models import Profile

    client = till_client(make_till(acme).code)
    created = client.post("/v2/customers", {"mobile": "+4915551234", "email": "Ann@Example.com",
                                            "first_name": "Ann"}, format="json").json()
    assert Profile.objects.get(pk=created["id"]).email == "ann@example.com"
    found = client.get("/v2/customers", {"email": "ann@example.com"}).json()["customers"]
    assert [c["id"] for c in found] == [created["id"]]
    txn = client.post("/v2/transactions", {"customer_id": created["id"], "bill_number": "B-1", "amount": "42.99"},
                      format="json").json()
    assert txn["points"] == 42 and txn["balance"] == 42
    assert client.get("/v2/transactions", {"customer_id": created["id"]}).json()["transactions"][0]["bill_number"] \
        == "B-1"
