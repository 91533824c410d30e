"""Login throttling that a guesser cannot turn against a user: the hard lockout keys on (username,
address), a username failing from many addresses only cools down for a while, and one address is
blocked only after many failures (a whole office may sit behind it)."""

import time

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accessadmin.testing import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "right-password-1"


@pytest.fixture
def ann(acme):
    return make_user(acme, username="acme-ann", password=PASSWORD)


def login(username: str, password: str, address: str) -> int:
    r = APIClient().post("/ccadmin/v1/login", {"grant_type": "password", "username": username,
                                               "password": password}, REMOTE_ADDR=address)
    return r.status_code


def test_five_failures_from_one_address_do_not_lock_the_user_out_from_another(ann, redis_cache):
    assert [login("acme-ann", "wrong-guess-1", "10.0.0.1") for _ in range(5)] == [401] * 5
    assert login("acme-ann", PASSWORD, "10.0.0.1") == 429
    assert login("ACME-ANN ", PASSWORD, "10.0.0.1") == 429  # the same username, however spelt
    assert login("acme-ann", PASSWORD, "10.0.0.2") == 200


def test_the_lockout_lasts_the_window_and_a_success_ends_it_for_that_address_only(ann, settings):
    r = None
    for _ in range(settings.LOGIN_LOCKOUT_LIMIT + 1):
        r = APIClient().post("/ccadmin/v1/login", {"grant_type": "password", "username": "acme-ann",
                                                   "password": "wrong-guess-1"}, REMOTE_ADDR="10.0.0.1")
    assert r.status_code == 429
    assert settings.LOGIN_WINDOW_SECONDS - 5 < int(r["Retry-After"]) <= settings.LOGIN_WINDOW_SECONDS + 1
    assert r.json()["errorCode"] == "throttled"
    for _ in range(4):
        assert login("acme-ann", "wrong-guess-1", "10.0.0.2") == 401
    assert login("acme-ann", PASSWORD, "10.0.0.2") == 200
    # The success at 10.0.0.2 forgot its four failures there, not the lockout at 10.0.0.1.
    assert [login("acme-ann", "wrong-guess-1", "10.0.0.2") for _ in range(5)] == [401] * 5
    assert login("acme-ann", PASSWORD, "10.0.0.1") == 429


def test_a_user_behind_a_shared_address_is_not_locked_by_other_usernames_below_the_address_limit(
        acme, ann, settings, redis_cache):
    make_user(acme, username="acme-bob", password=PASSWORD)
    office = "192.0.2.10"
    # Bob forgets his password and is locked out (5 failures); 40 more failures are spread over other names.
    assert [login("acme-bob", "wrong-guess-1", office) for _ in range(7)] == [401] * 5 + [429] * 2
    for n in range(40):
        assert login(f"acme-user{n}", "wrong-guess-1", office) == 401
    assert login("acme-ann", PASSWORD, office) == 200
    # Past LOGIN_ADDRESS_LIMIT failures (50) the address is blocked for every username.
    for n in range(settings.LOGIN_ADDRESS_LIMIT - 45):
        assert login(f"acme-other{n}", "wrong-guess-1", office) == 401
    assert login("acme-ann", PASSWORD, office) == 429
    assert login("acme-ann", PASSWORD, "192.0.2.11") == 200


def test_a_username_failing_from_many_addresses_cools_down_and_the_cool_down_ends_by_itself(ann, settings):
    settings.LOGIN_USERNAME_LIMIT = 6
    settings.LOGIN_USERNAME_COOLDOWN_SECONDS = 1
    for n in range(6):
        assert login("acme-ann", "wrong-guess-1", f"10.2.0.{n}") == 401
    r = APIClient().post("/ccadmin/v1/login", {"grant_type": "password", "username": "acme-ann",
                                               "password": PASSWORD}, REMOTE_ADDR="10.2.1.1")
    assert r.status_code == 429
    assert int(r["Retry-After"]) in (1, 2)
    time.sleep(1.1)
    # A guess after the cool-down fails and starts the next cool-down...
    assert login("acme-ann", "wrong-guess-1", "10.2.0.99") == 401
    assert login("acme-ann", PASSWORD, "10.2.1.1") == 429
    time.sleep(1.1)
    # ...which ends by itself too, well inside the window, with no CAPTCHA.
    assert login("acme-ann", PASSWORD, "10.2.1.1") == 200


def test_the_login_page_uses_the_same_limits(ann):
    for _ in range(5):
        Client(REMOTE_ADDR="10.3.0.1").post("/login/", {"username": "acme-ann", "password": "wrong-guess-1"})
    locked = Client(REMOTE_ADDR="10.3.0.1").post("/login/", {"username": "acme-ann", "password": PASSWORD})
    assert locked.status_code == 200 and b"Too many failed attempts" in locked.content
    elsewhere = Client(REMOTE_ADDR="10.3.0.2").post("/login/", {"username": "acme-ann", "password": PASSWORD})
    assert elsewhere.status_code == 302
