"""Allocation and deactivation racing each other on PostgreSQL (real row locks, real threads)."""

import threading

import pytest
from django.db import connection

from accessadmin.errors import AppError
from accessadmin.testing import make_org
from groups import selectors, services
from groups.models import AccessGroup

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(*calls):
    """Runs the calls at the same instant in threads; returns what each raised (or None)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait()
            fn()
        except AppError as e:
            outcomes[i] = e.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_no_interleaving_leaves_an_inactive_group_with_stores(allocate, make_stores):
    org = make_org("acme")
    make_stores(org, 20, prefix="s")
    for round_ in range(20):
        group, _ = services.group_create(actor=None, org=org, name=f"Race {round_}")
        code = f"s-s{round_ + 1:03d}"
        outcomes = _race(
            lambda g=group, c=code: allocate(org, g, [c]),
            lambda g=group: services.group_deactivate(actor=None, org=org, group=g),
        )
        group.refresh_from_db()
        stores = group.stores.count()
        assert not (not group.is_active and stores), f"round {round_}: inactive group kept {stores} store(s)"
        # Exactly one of the two orders happened, and the loser got a clear refusal.
        assert outcomes in ([None, "group_has_stores"], ["group_inactive", None]), outcomes


def test_default_switch_and_deactivation_race_never_leave_an_inactive_default():
    org = make_org("acme")
    for round_ in range(15):
        group, _ = services.group_create(actor=None, org=org, name=f"Default {round_}")
        outcomes = _race(
            lambda g=group: services.default_group_set(actor=None, org=org, group=g),
            lambda g=group: services.group_deactivate(actor=None, org=org, group=g),
        )
        default = selectors.default_group(org=org)
        assert default.is_active, f"round {round_}: {outcomes}"
        # Move the default back to POS so the next round starts clean.
        services.default_group_set(actor=None, org=org, group=AccessGroup.objects.get(org=None, name="POS"))


def test_concurrent_creates_with_one_name_make_one_group():
    org = make_org("acme")
    outcomes = _race(*[lambda: services.group_create(actor=None, org=org, name="Same") for _ in range(4)])
    assert AccessGroup.objects.filter(org=org, name="Same").count() == 1
    assert sorted(o or "" for o in outcomes) == ["", "duplicate_name", "duplicate_name", "duplicate_name"]
