"""Demo data of loyalty: acme's behavioral event definitions (visit, app_open) and group loyalty — the program
on, five families and a company with two child companies, a year of members' transactions replayed through the
slab rules, and one family (FAM-0001, the Andersons) a few hundred points from Gold.

Groups and members go through the services; the year of transactions is written with bulk_create (with the
wallets, ledgers and slab events it would have produced), so seeding stays fast.
"""

import random
from bisect import bisect_right
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shopperdata import selectors as shopper_selectors

from . import selectors, services
from .models import (
    BehavioralEventDefinition,
    GroupLedgerEntry,
    GroupProgram,
    GroupSlabEvent,
    PointsAccount,
    PointsEntry,
    PointsTo,
    Transaction,
    UserGroup,
)

DEMO_EVENTS = [("visit", ["channel"]), ("app_open", ["platform"])]

# external id, name, type, parent external id, members, monthly spend per member (low, high)
DEMO_GROUPS = [
    ("FAM-0001", "The Andersons", "FAMILY", None, 3, None),  # tops up to NEAR_GOLD points: a few hundred short
    ("FAM-0002", "The Baptistes", "FAMILY", None, 4, (20, 120)),
    ("FAM-0003", "The Chens", "FAMILY", None, 2, (10, 60)),
    ("FAM-0004", "The Duartes", "FAMILY", None, 5, (40, 160)),
    ("FAM-0005", "The Eriksens", "FAMILY", None, 3, (5, 40)),
    ("CO-0001", "Acme Logistics", "COMPANY", None, 4, (300, 700)),
    ("CO-0002", "Acme Logistics North", "COMPANY", "CO-0001", 5, (150, 450)),
    ("CO-0003", "Acme Logistics South", "COMPANY", "CO-0001", 4, (100, 300)),
]
NEAR_GOLD = 4_680  # the Andersons' tracker: Gold (5,000) is 320 points away
ROLES = {"FAMILY": ["parent", "child", "child", "grandparent", "child"],
         "COMPANY": ["manager", "driver", "driver", "accountant", "driver"]}


@transaction.atomic
def seed(*, orgs) -> None:
    acme = orgs["acme"]
    for name, attributes in DEMO_EVENTS:
        if not BehavioralEventDefinition.objects.filter(org=acme, name=name).exists():
            services.event_definition_create(org=acme, name=name, attributes=attributes)
    seed_groups(org=acme)


def seed_groups(*, org, now=None) -> None:
    """Switches group loyalty on for `org` and seeds DEMO_GROUPS (once: nothing when FAM-0001 exists)."""
    if UserGroup.objects.filter(org=org, external_id=DEMO_GROUPS[0][0]).exists():
        return
    now = now or timezone.now()
    GroupProgram.objects.update_or_create(org=org, defaults={"enabled": True, "points_to": PointsTo.BOTH})
    program = selectors.program_get(org=org)
    taken = set(_grouped_customers(org))
    customers = [p.pk for p in shopper_selectors.profile_list(org=org).filter(deleted_at__isnull=True)[:400]
                 if p.pk not in taken]
    rng = random.Random(14)
    start = now - timedelta(days=360)
    ids = {}
    for external_id, name, kind, parent, size, _spend in DEMO_GROUPS:
        if len(customers) < size:
            return  # too few demo customers: no groups rather than half of them
        group = services.group_create(org=org, external_id=external_id, name=name, max_group_size=10,
                                      group_type=kind, parent_group_id=ids.get(parent), now=start)
        ids[external_id] = group.pk
        members, customers = customers[:size], customers[size:]
        services.group_join(org=org, group_id=group.pk, now=start, members=[
            {"customer_id": c, "primary": i == 0, "default_group": True, "role": ROLES[kind][i % 5],
             "permissions": ["allow_points_redemption"] if i < 2 else []} for i, c in enumerate(members)])
    for external_id, _name, _kind, _parent, _size, spend in DEMO_GROUPS:
        _year_of_transactions(org, program, UserGroup.objects.get(pk=ids[external_id]), spend, rng, start, now)


def _grouped_customers(org) -> list[int]:
    """Customers already in a group of `org` (none on a fresh demo)."""
    return list(UserGroup.objects.filter(org=org).values_list("memberships__customer_id", flat=True))


def _year_of_transactions(org, program, group, spend, rng, start, now) -> None:
    members = list(group.memberships.order_by("id").values_list("customer_id", flat=True))
    sales = []  # (when, customer id, amount)
    for customer_id in members:
        for month in range(12):
            when = start + timedelta(days=30 * month + rng.randrange(30), minutes=rng.randrange(24 * 60))
            low, high = spend or (50, 150)
            sales.append((min(when, now), customer_id, Decimal(rng.randrange(low * 100, high * 100)) / 100))
    sales.sort()
    if spend is None:  # scale the Andersons' year to NEAR_GOLD points exactly
        total = sum(int(amount) for _, _, amount in sales)
        sales = [(when, c, Decimal(int(amount) * NEAR_GOLD // total)) for when, c, amount in sales]
        when, c, amount = sales[-1]
        sales[-1] = (when, c, amount + NEAR_GOLD - sum(int(a) for _, _, a in sales))
    txns = Transaction.objects.bulk_create([
        Transaction(org=org, customer_id=c, bill_number=f"DEMO-{group.external_id}-{i:04d}", amount=amount,
                    points=int(amount), created_at=when) for i, (when, c, amount) in enumerate(sales)])
    accounts = {a.customer_id: a for a in PointsAccount.objects.filter(org=org, customer_id__in=members)}
    for c in members:
        accounts.setdefault(c, PointsAccount.objects.create(org=org, customer_id=c, balance=0))
    balances = {c: a.balance for c, a in accounts.items()}
    entries, ledger, events = [], [], []
    group_balance, history = 0, []  # history: (when, points) of the group's credits, for the tracker
    slabs = selectors.slabs_of(program)
    window = timedelta(days=program.tracking_window_days)
    state = {"index": 0, "expires": None}

    def tracker_at(when):
        times = [t for t, _ in history]
        return sum(p for _, p in history[bisect_right(times, when - window):])

    def review(until):
        """The daily slab review, as it would have run up to `until` (services.slab_review's rules)."""
        index, expires = state["index"], state["expires"]
        while expires is not None and expires <= until:
            tracked = tracker_at(expires)
            if tracked >= slabs[index].renewal_threshold:
                reason, new, new_expires = GroupSlabEvent.Reason.RENEWAL, index, expires + window
            else:
                reason, new = GroupSlabEvent.Reason.DOWNGRADE, index - 1
                new_expires = expires + window if new > 0 else None
            events.append(GroupSlabEvent(org=org, group=group, reason=reason, from_slab=slabs[index].name,
                                         to_slab=slabs[new].name, tracker=tracked, expires_at=new_expires,
                                         created_at=expires))
            index, expires = new, new_expires
        state.update(index=index, expires=expires)

    for txn in txns:
        when, c, points = txn.created_at, txn.customer_id, txn.points
        review(when)
        balances[c] += points
        entries.append(PointsEntry(org=org, customer_id=c, kind=PointsEntry.Kind.EARN, points=points,
                                   balance_after=balances[c], transaction=txn, created_at=when))
        group_balance += points
        history.append((when, points))
        ledger.append(GroupLedgerEntry(org=org, group=group, customer_id=c, kind=GroupLedgerEntry.Kind.EARN,
                                       points=points, balance_after=group_balance, transaction=txn, created_at=when))
        tracked = tracker_at(when)
        target = max(s.index for s in slabs if s.threshold <= tracked)
        if target > state["index"]:
            events.append(GroupSlabEvent(org=org, group=group, reason=GroupSlabEvent.Reason.UPGRADE,
                                         from_slab=slabs[state["index"]].name, to_slab=slabs[target].name,
                                         tracker=tracked, expires_at=when + window, created_at=when))
            state.update(index=target, expires=when + window)
    review(now)
    PointsEntry.objects.bulk_create(entries)
    GroupLedgerEntry.objects.bulk_create(ledger)
    GroupSlabEvent.objects.bulk_create(events)
    for c in members:
        PointsAccount.objects.filter(pk=accounts[c].pk).update(balance=balances[c])
    UserGroup.objects.filter(pk=group.pk).update(
        balance=F("balance") + group_balance, lifetime_points=F("lifetime_points") + group_balance,
        lifetime_purchases=sum((t.amount for t in txns), Decimal(0)), slab_index=state["index"],
        slab_expires_at=state["expires"])
