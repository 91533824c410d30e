"""How many of an org's stores are allocated to each group, and how many have none: the "Stores" column of
the group list (which sorts by it) and the "stores inherit the default" line of the default-group page.

Counting stores on every page is a subquery over every group of the org (10,000 groups, 100,000 stores:
~100 ms); the counts are kept instead by the writes that move stores, in the transaction that moves them.
Stores are the stores app's: it locks the stores it moves (so it knows exactly where each came from), then
tells this module the net change per group (`apply`). `rebuild` puts an org's counts back from a real count
(`manage.py store_counts`), and the stores app's tests compare the two after random writes.

A missing row means 0. The count is per org even for a built-in group, which every org shares.
"""

from collections.abc import Mapping

from django.db import IntegrityError, connection, transaction
from django.db.models import F, FilteredRelation, Q, Value
from django.db.models.functions import Coalesce

from .models import GroupStoreCount

TABLE = GroupStoreCount._meta.db_table


def apply(*, org_id: int, deltas: Mapping[int | None, int]) -> None:
    """Adds each delta to the org's count of its group (key None: the stores with no group).

    Runs in the caller's transaction, which must hold the row locks of the stores it moved. Counts are
    changed in the database (`count = count + delta`), never read and written back, so concurrent writers
    add up; their rows are locked first in one order (no ground for a deadlock). A count that would drop
    below zero (a writer that did not lock its stores) is refused by the table's check constraint.
    """
    deltas = {g: d for g, d in deltas.items() if d}
    if not deltas:
        return
    grouped = sorted(g for g in deltas if g is not None)
    rows = GroupStoreCount.objects.filter(org_id=org_id)
    if connection.vendor == "postgresql":  # SQLite has one writer at a time
        wanted = Q(group_id__in=grouped) | Q(group__isnull=True) if None in deltas else Q(group_id__in=grouped)
        list(rows.filter(wanted).select_for_update().order_by(F("group_id").asc(nulls_first=True))
             .values_list("pk", flat=True))
    with connection.cursor() as cursor:
        if None in deltas:
            if deltas[None] > 0:
                cursor.execute(
                    f"INSERT INTO {TABLE} (org_id, group_id, count) VALUES (%s, NULL, %s) ON CONFLICT (org_id) "
                    f"WHERE group_id IS NULL DO UPDATE SET count = {TABLE}.count + excluded.count",
                    [org_id, deltas[None]])
            elif not rows.filter(group__isnull=True).update(count=F("count") + deltas[None]):
                raise IntegrityError("The count of stores with no group would drop below zero.")
        # The check constraint applies to the row an INSERT proposes before any conflict: only a positive
        # delta may be upserted; a negative one updates a row that must exist.
        up = [(g, deltas[g]) for g in grouped if deltas[g] > 0]
        down = [(g, deltas[g]) for g in grouped if deltas[g] < 0]
        if connection.vendor == "postgresql":
            _apply_arrays(cursor, org_id, up, down)
            return
        for start in range(0, len(up), 1000):
            chunk = up[start:start + 1000]
            cursor.execute(
                f"INSERT INTO {TABLE} (org_id, group_id, count) VALUES {', '.join(['(%s, %s, %s)'] * len(chunk))} "
                f"ON CONFLICT (org_id, group_id) DO UPDATE SET count = {TABLE}.count + excluded.count",
                [v for g, d in chunk for v in (org_id, g, d)])
        for start in range(0, len(down), 500):
            chunk = down[start:start + 500]
            cases = " ".join(["WHEN %s THEN %s"] * len(chunk))
            cursor.execute(
                f"UPDATE {TABLE} SET count = count + CASE group_id {cases} END "
                f"WHERE org_id = %s AND group_id IN ({', '.join(['%s'] * len(chunk))})",
                [v for g, d in chunk for v in (g, d)] + [org_id] + [g for g, _ in chunk])
            if cursor.rowcount != len(chunk):
                raise IntegrityError("A group's store count would drop below zero.")


def _apply_arrays(cursor, org_id: int, up, down) -> None:
    """apply() on PostgreSQL: one statement for the rising counts and one for the falling ones, whatever the
    number of groups (10,000 stores leaving 6,000 groups), the deltas passed as two arrays."""
    if up:
        cursor.execute(
            f"INSERT INTO {TABLE} (org_id, group_id, count) SELECT %s, u.g, u.d "
            f"FROM unnest(%s::bigint[], %s::integer[]) AS u(g, d) "
            f"ON CONFLICT (org_id, group_id) DO UPDATE SET count = {TABLE}.count + excluded.count",
            [org_id, [g for g, _ in up], [d for _, d in up]])
    if down:
        cursor.execute(
            f"UPDATE {TABLE} t SET count = t.count + u.d FROM unnest(%s::bigint[], %s::integer[]) AS u(g, d) "
            f"WHERE t.org_id = %s AND t.group_id = u.g",
            [[g for g, _ in down], [d for _, d in down], org_id])
        if cursor.rowcount != len(down):
            raise IntegrityError("A group's store count would drop below zero.")


def lock(*, org_id: int) -> None:
    """Makes concurrent apply() calls wait until the caller's transaction ends (rebuild and check count the
    stores under it, so no move lands between their count and their write). SQLite serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")


def current(*, org_id: int) -> dict[int | None, int]:
    """Returns the org's kept counts {group id or None: count}, without the zeros."""
    return {g: n for g, n in GroupStoreCount.objects.filter(org_id=org_id).values_list("group_id", "count") if n}


def differences(*, org_id: int, counts: Mapping[int | None, int]) -> dict[int | None, int]:
    """Returns {group: kept − real} for every group whose kept count differs from `counts`, a real count
    the caller made under lock()."""
    kept = current(org_id=org_id)
    return {g: kept.get(g, 0) - counts.get(g, 0) for g in kept.keys() | counts.keys()
            if kept.get(g, 0) != counts.get(g, 0)}


@transaction.atomic
def rebuild(*, org_id: int, counts: Mapping[int | None, int]) -> dict[int | None, int]:
    """Replaces the org's kept counts by `counts` (a real count the caller made under lock()); returns the
    differences it repaired (see differences())."""
    diff = differences(org_id=org_id, counts=counts)
    if diff:
        GroupStoreCount.objects.filter(org_id=org_id).delete()
        GroupStoreCount.objects.bulk_create(
            [GroupStoreCount(org_id=org_id, group_id=g, count=n) for g, n in counts.items() if n], batch_size=2000)
    return diff


def with_store_count(groups, *, org_id: int):
    """Returns the queryset of groups with `store_count`: the org's count of each group's stores (0 if none).

    A LEFT JOIN on the org's rows (one hash join), not a subquery per group: sorting 10,000 groups by it
    then costs one pass."""
    return (groups.annotate(_kept=FilteredRelation("store_counts", condition=Q(store_counts__org_id=org_id)))
            .annotate(store_count=Coalesce(F("_kept__count"), Value(0))))


def ungrouped(*, org_id: int) -> int:
    """Returns how many of the org's stores have no group (and so follow the default)."""
    kept = GroupStoreCount.objects.filter(org_id=org_id, group__isnull=True).values_list("count", flat=True)
    return kept.first() or 0
