"""The gateway check counts failed till credentials per client address, and the address is what a trusted
gateway names (X-Real-IP), never what anybody else claims (see accessadmin/tests/test_client_address.py)."""

import pytest
from rest_framework.test import APIClient

from enforcement import auth as till_auth


@pytest.fixture
def gateway_till(acme, make_store, make_till):
    return make_till(acme, make_store(acme, "acme-s902"), code="acme-s902-t1")


@pytest.fixture
def check(basic_auth):
    """check(code, secret, real_ip, peer) → the status /authz/check answers for a till request."""
    def ask(code, secret, real_ip, peer):
        return APIClient().get("/authz/check", REMOTE_ADDR=peer, HTTP_X_REAL_IP=real_ip,
                               HTTP_X_ORIGINAL_METHOD="GET", HTTP_X_ORIGINAL_URI="/v2/customers",
                               HTTP_AUTHORIZATION=basic_auth(code, secret)).status_code
    return ask


@pytest.mark.django_db
def test_authz_check_ignores_x_real_ip_from_anybody_but_a_trusted_gateway(acme, gateway_till, check, till_secret,
                                                                           settings):
    settings.TRUSTED_PROXIES = []
    limit = till_auth.throttle.limits["addr"].failures
    # A different till code and a different X-Real-IP each time: only the connection's address repeats.
    statuses = [check(f"acme-guess-{n}", "wrong", f"198.51.100.{n}", "203.0.113.30") for n in range(limit + 1)]
    assert statuses == [401] * limit + [429]
    assert check(gateway_till.code, till_secret, "198.51.100.99", "203.0.113.31") == 200


@pytest.mark.django_db
def test_authz_check_throttles_the_client_named_by_a_trusted_gateway(acme, gateway_till, check, make_till,
                                                                     till_secret, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    limit = till_auth.throttle.limits["addr"].failures
    other = make_till(acme, gateway_till.store, code="acme-s902-t2")
    statuses = [check(gateway_till.code, "wrong", "198.51.100.1", "127.0.0.1") for _ in range(limit + 1)]
    assert statuses == [401] * limit + [429]
    assert check(other.code, "s3cret-not-used", "198.51.100.1", "127.0.0.1") == 429
    assert check(other.code, till_secret, "198.51.100.2", "127.0.0.1") == 200
