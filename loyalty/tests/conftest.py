"""Fixtures of loyalty's group tests: the program switched on, a system caller, groups with members."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from loyalty import services

T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)


class SystemCaller:
    """Who adds transactions outside the till API in these tests: no till, no API client, no store."""

    till_id = None
    api_client_id = None
    store_id = None


@pytest.fixture
def caller():
    return SystemCaller()


@pytest.fixture
def program_on():
    """program_on(org, **changes) → the org's group program, switched on with `changes` (by an administrator)."""
    admins = {}

    def switch(org, **changes):
        if org.pk not in admins:
            admins[org.pk] = make_user(org, username=f"{org.code}-loyalty-admin", privileges=[Privilege.ADMIN])
        admin = admins[org.pk]
        return services.program_update(actor=admin, org=org, changes={"enabled": True, **changes})
    return switch


@pytest.fixture
def make_family(make_customer):
    """make_family(org, members=2, permissions=(), **group fields) → (group, [customers]); the first customer is
    the primary member and every member's default group is this one."""
    counter = iter(range(1, 10_000))

    def make(org, members=2, permissions=(), now=None, **fields):
        n = next(counter)
        group = services.group_create(org=org, external_id=fields.pop("external_id", f"fam-{n}"),
                                      name=fields.pop("name", f"Family {n}"),
                                      max_group_size=fields.pop("max_group_size", 10), now=now, **fields)
        customers = [make_customer(org) for _ in range(members)]
        rows = services.group_join(org=org, group_id=group.pk, now=now, members=[
            {"customer_id": c.pk, "primary": i == 0, "default_group": True, "permissions": list(permissions)}
            for i, c in enumerate(customers)])
        assert all(r.code is None for r in rows), [(r.code, r.message) for r in rows]
        group.refresh_from_db()
        return group, customers
    return make


@pytest.fixture
def buy(caller):
    """buy(org, customer, amount, now=None) → the transaction (one point per whole unit)."""
    def add(org, customer, amount, now=None):
        return services.transaction_add(caller=caller, org=org, customer_id=customer.pk, bill_number="B-1",
                                        amount=Decimal(amount), now=now)
    return add


@pytest.fixture
def make_user_without_privileges(acme):
    return make_user(acme, username="acme-nobody")
