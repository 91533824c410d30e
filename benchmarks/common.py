"""Shared pieces of the benchmarks: a throwaway database and side-by-side timing.

Benchmarks print ratios of two things measured in the same run, interleaved,
so that a noisy machine slows both sides alike. They never assert on time.
"""

import os
import statistics
import time
from contextlib import contextmanager


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accessadmin.settings")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"] + settings.PASSWORD_HASHERS
    settings.ALLOWED_HOSTS = ["*"]


@contextmanager
def throwaway_database():
    """Creates a fresh migrated test database (test_<NAME>) for the block and drops it after."""
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def timed(fn, *, repeat: int = 5, number: int = 1) -> float:
    """Returns the median seconds of one call of `fn` over `repeat` rounds of `number` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def side_by_side(a, b, *, rounds: int = 7, number: int = 1) -> tuple[float, float]:
    """Returns the median seconds per call of `a` and of `b`, measured in alternating rounds."""
    ta, tb = [], []
    for _ in range(rounds):
        ta.append(timed(a, repeat=1, number=number))
        tb.append(timed(b, repeat=1, number=number))
    return statistics.median(ta), statistics.median(tb)


def report(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n== {title}")
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")
