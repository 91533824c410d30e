"""Exact query counts of warm till requests: no authentication or org query (the warm entry, see
enforcement/warm.py), each thing fetched once, and the same count for one row as for many."""

import pytest

from enforcement import usage
from groups import services as group_services
from groups.builtins import ADMIN


@pytest.fixture
def warm(builtin, make_store, make_till, till_client, make_customer, acme):
    """An Admin till of acme whose credentials and org every test process has seen once (warm)."""
    group_services.default_group_set(actor=None, org=acme, group=builtin(ADMIN))
    till = make_till(acme, make_store(acme, "acme-q1"))
    client = till_client(till.code)
    customer = make_customer(acme)
    assert client.get("/v2/org").status_code == 200
    # The gateway check compiles the catalogue's path patterns once per catalogue version and process.
    assert client.get("/authz/check", HTTP_X_ORIGINAL_METHOD="GET", HTTP_X_ORIGINAL_URI="/v2/org").status_code == 200
    # Usage counters are written every USAGE_FLUSH_SECONDS: write them now, so that a slow setup never puts
    # that periodic write inside a measured request.
    usage.flush()
    return client, customer


def test_get_customer_is_one_query(warm, django_assert_num_queries):
    client, customer = warm
    with django_assert_num_queries(1):  # the profile, fetched once
        assert client.get(f"/v2/customers/{customer.pk}").status_code == 200
    with django_assert_num_queries(1):  # another org's or a missing one: the same one query
        assert client.get("/v2/customers/999999").status_code == 404


def test_points_balance_tests_existence_without_fetching_the_profile(warm, django_assert_num_queries):
    client, customer = warm
    with django_assert_num_queries(2) as captured:  # EXISTS on the profile, then the balance
        assert client.get(f"/v2/points/{customer.pk}").status_code == 200
    assert "shopperdata_profile" in captured.captured_queries[0]["sql"]
    assert "email" not in captured.captured_queries[0]["sql"]


def test_org_and_gateway_check_need_no_query(warm, django_assert_num_queries):
    client, _customer = warm
    with django_assert_num_queries(0):
        assert client.get("/v2/org").status_code == 200
        response = client.get("/authz/check", HTTP_X_ORIGINAL_METHOD="GET", HTTP_X_ORIGINAL_URI="/v2/customers")
        assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 6])
def test_lists_are_one_query_whatever_their_length(warm, make_customer, make_store, make_till, acme, rows,
                                                   django_assert_num_queries):
    client, customer = warm
    for _ in range(rows - 1):
        make_customer(acme)
        make_till(acme, make_store(acme))
    for path in ("/v2/customers", "/v2/stores", "/v2/tills", "/v2/behavioral-events", "/v2/transactions"):
        client.get(path)  # warm again after the writes above (they changed the org)
        with django_assert_num_queries(1):
            assert client.get(path).status_code == 200, path
