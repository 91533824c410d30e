"""The client address of a request: X-Forwarded-For / X-Real-IP count only when the connection comes
from one of TRUSTED_PROXIES; otherwise anybody could pick an address per request and escape every
per-address throttle (login here; the till gateway check in enforcement/tests/test_client_address.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from rest_framework.test import APIClient

from accessadmin.testing import make_user
from accessadmin.throttling import client_address


def address(remote: str, **headers) -> str:
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_headers_of_an_untrusted_peer_are_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address("203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.1", HTTP_X_REAL_IP="10.0.0.2") == "203.0.113.9"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address("203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.1", HTTP_X_REAL_IP="10.0.0.2") == "203.0.113.9"


def test_a_trusted_proxy_names_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5", "fd00::/8"]
    # The right-most hop that is not a trusted proxy: whatever the client wrote to its left is ignored.
    assert address("10.0.0.5", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7") == "203.0.113.7"
    assert address("10.0.0.5", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7, 10.0.0.5") == "203.0.113.7"
    assert address("fd00::1", HTTP_X_FORWARDED_FOR="2001:db8::7") == "2001:db8::7"
    # X-Real-IP when there is no X-Forwarded-For.
    assert address("10.0.0.5", HTTP_X_REAL_IP="203.0.113.8") == "203.0.113.8"
    # Nothing usable: the proxy itself.
    assert address("10.0.0.5") == "10.0.0.5"
    assert address("10.0.0.5", HTTP_X_FORWARDED_FOR="not-an-address", HTTP_X_REAL_IP="junk") == "10.0.0.5"
    # Every hop trusted: the first one made the request.
    assert address("10.0.0.5", HTTP_X_FORWARDED_FOR="fd00::9, 10.0.0.5") == "fd00::9"


def test_a_bad_trusted_proxies_entry_is_a_configuration_error(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.300"]
    with pytest.raises(ImproperlyConfigured):
        address("10.0.0.5")


@pytest.mark.django_db
def test_login_lockout_counts_the_client_behind_a_trusted_proxy(acme, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.254"]
    make_user(acme, username="acme-ann", password="right-password-1")

    def login(password, forwarded, peer="10.0.0.254"):
        return APIClient().post("/ccadmin/v1/login", {"grant_type": "password", "username": "acme-ann",
                                                      "password": password},
                                REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded).status_code

    # Forged left-hand hops do not help the guesser at 203.0.113.5...
    assert [login("wrong-guess-1", f"198.51.100.{n}, 203.0.113.5") for n in range(5)] == [401] * 5
    assert login("right-password-1", "198.51.100.99, 203.0.113.5") == 429
    # ...and do not lock out Ann at 203.0.113.6, behind the same proxy.
    assert login("right-password-1", "203.0.113.6") == 200
    # Not through the proxy: the header is the client's own word and is ignored.
    assert [login("wrong-guess-1", f"198.51.100.{n}", peer="203.0.113.20") for n in range(5)] == [401] * 5
    assert login("right-password-1", "198.51.100.77", peer="203.0.113.20") == 429
