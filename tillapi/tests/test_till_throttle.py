"""Till credential throttling cannot be turned against the till: somebody who knows a till code and sends
wrong secrets (from the till's own address or from many) does not get the real till 429'd. The shared
cache is the real Redis, as in production; emptying this process's verification LRU stands for the
next request landing on another worker."""

import pytest

from enforcement import auth

LIMIT = auth.throttle.limits["addr"].failures


@pytest.fixture
def till(acme, make_store, make_till):
    return make_till(acme, make_store(acme, "acme-s901"), code="acme-s901-t1")


@pytest.fixture
def guess(till_client):
    """guess(code, addresses, times) → the statuses of `times` wrong guesses at the till from each address."""
    def run(code: str, addresses, times: int) -> list[int]:
        attacker = till_client(code, "a-wrong-guess")
        return [attacker.get("/v2/customers", REMOTE_ADDR=a).status_code for a in addresses for _ in range(times)]
    return run


def test_a_till_verified_by_another_worker_passes_while_a_guesser_at_its_address_is_throttled(
        acme, till, guess, make_till, till_client, redis_cache, settings):
    real = till_client(till.code)
    assert real.get("/v2/customers", REMOTE_ADDR="10.0.0.1").status_code == 200
    statuses = guess(till.code, ["10.0.0.1"], LIMIT + 3)
    assert statuses == [401] * LIMIT + [429] * 3
    auth.forget_verifications()  # the till's next request reaches a worker that never saw it
    assert real.get("/v2/customers", REMOTE_ADDR="10.0.0.1").status_code == 200
    # The address stays blocked for a credential nobody has proven yet.
    newcomer = make_till(acme, till.store, code="acme-s901-t2")
    assert till_client(newcomer.code).get("/v2/customers", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert redis_cache.keys(f"{settings.CACHES['default']['KEY_PREFIX']}:*:throttle:till:addr:*")


def test_guessing_from_many_addresses_never_blocks_the_till_at_its_own(till, guess, till_client, redis_cache):
    addresses = [f"10.1.0.{n}" for n in range(1, 21)]
    statuses = guess(till.code, addresses, LIMIT + 1)
    assert statuses.count(429) == len(addresses) and statuses.count(401) == LIMIT * len(addresses)
    # Never verified anywhere (a fresh secret, say): the till still gets in from its own address.
    assert till_client(till.code).get("/v2/customers", REMOTE_ADDR="10.0.0.7").status_code == 200
