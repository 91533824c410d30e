"""Reads of loyalty, always scoped to one org: transactions, points balances, event definitions, and group
loyalty (the program, user groups, members with their contributions, the group ledger, slabs and trackers,
company hierarchies).

Group reads for people (pages, the Admin API) show member identities through `member_identity(profile, plan)`,
which masks with shopper data's one read function; `plan=None` is a system reader (the till API): unmasked.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from accessadmin import limits
from accessadmin.errors import InvalidInput, NotFound
from accessadmin.models import Org
from shopperdata import masking
from shopperdata import selectors as shopper_selectors

from .errors import GroupErrorCode, LoyaltyErrorCode
from .models import (
    BehavioralEventDefinition,
    GroupLedgerEntry,
    GroupMembership,
    GroupProgram,
    GroupSlabEvent,
    PointsAccount,
    Transaction,
    UserGroup,
)

LIST_LIMIT = 100


def transaction_list(*, org: Org, customer_id=None):
    qs = Transaction.objects.filter(org=org)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("-id")[:LIST_LIMIT]


def points_balance(*, org: Org, customer_id: int) -> int:
    return PointsAccount.objects.filter(org=org, customer_id=customer_id).values_list("balance", flat=True).first() \
        or 0


def event_definition_list(*, org: Org):
    return BehavioralEventDefinition.objects.filter(org=org).order_by("name")


def customer_id_of(*, org: Org, customer_id) -> int:
    """Returns `customer_id` as an int once it names a customer of `org`; InvalidInput or NotFound otherwise.

    `customer_id` is a whole number (a JSON integer; never true, 1.9 or "12") or a URL path's digits.
    Customers are the org's shopper profiles (shopperdata).
    """
    if isinstance(customer_id, str) and customer_id.isascii() and customer_id.isdigit():
        customer_id = int(customer_id)
        if customer_id > limits.BIGINT_MAX:
            raise NotFound("No such customer.", code=LoyaltyErrorCode.CUSTOMER_NOT_FOUND)  # no id is that large
    if isinstance(customer_id, bool) or not isinstance(customer_id, int) \
            or not 1 <= customer_id <= limits.BIGINT_MAX:
        raise InvalidInput("customer_id must be a whole number.", code=LoyaltyErrorCode.INVALID_CUSTOMER,
                           fields={"customer_id": [f"A whole number from 1 to {limits.BIGINT_MAX}."]})
    if not shopper_selectors.profile_exists(org=org, pk=customer_id):
        raise NotFound("No such customer.", code=LoyaltyErrorCode.CUSTOMER_NOT_FOUND)
    return customer_id


# --- group loyalty: the program and its slabs -----------------------------------------------------------------


@dataclass(frozen=True)
class Slab:
    index: int
    name: str
    threshold: int
    renewal_threshold: int


def program_get(*, org: Org) -> GroupProgram:
    """Returns `org`'s group program (the defaults, unsaved and switched off, when the org never changed it)."""
    return GroupProgram.objects.filter(org=org).first() or GroupProgram(org=org)


def program_enabled(*, org: Org) -> bool:
    return GroupProgram.objects.filter(org=org, enabled=True).exists()


def require_enabled(*, org: Org) -> GroupProgram:
    """Returns `org`'s group program; InvalidInput group_loyalty_disabled when it is switched off."""
    program = program_get(org=org)
    if not program.enabled:
        raise InvalidInput("Group loyalty is not enabled for this organization.",
                           code=GroupErrorCode.GROUP_LOYALTY_DISABLED)
    return program


def slabs_of(program: GroupProgram) -> list[Slab]:
    """Returns the program's slabs in order (lowest first)."""
    return [Slab(i, s["name"], int(s["threshold"]), int(s["renewal_threshold"])) for i, s in enumerate(program.slabs)]


def slab_at(slabs: list[Slab], index: int) -> Slab:
    """Returns the slab at `index`, or the top one when the program lost slabs since the group reached it."""
    return slabs[max(0, min(index, len(slabs) - 1))]


# --- user groups ----------------------------------------------------------------------------------------------


def group_id_of(group_id) -> int:
    """Returns `group_id` (a JSON integer or a string of digits) as an int; InvalidInput invalid_group_id otherwise."""
    if isinstance(group_id, str) and group_id.isascii() and group_id.isdigit() and len(group_id) <= 19:
        group_id = int(group_id)
    if isinstance(group_id, bool) or not isinstance(group_id, int) or not 1 <= group_id <= limits.BIGINT_MAX:
        raise InvalidInput("A group id must be a whole number.", code=GroupErrorCode.INVALID_GROUP_ID,
                           fields={"id": [f"A whole number from 1 to {limits.BIGINT_MAX}."]})
    return group_id


def _not_found() -> NotFound:
    return NotFound("No such user group.", code=GroupErrorCode.GROUP_NOT_FOUND)


def group_get(*, org: Org, group_id) -> UserGroup:
    """Returns `org`'s group `group_id`; NotFound group_not_found when missing or another org's (one query)."""
    group = UserGroup.objects.filter(org=org, pk=group_id_of(group_id)).first()
    if group is None:
        raise _not_found()
    return group


def group_get_by(*, org: Org, group_id=None, external_id=None, primary_customer_id=None) -> UserGroup:
    """Returns the group named by its id, its externalId or its primary member (the first given wins);
    InvalidInput group_id_required when none is given, NotFound group_not_found when nothing matches."""
    if group_id not in (None, ""):
        return group_get(org=org, group_id=group_id)
    if external_id not in (None, ""):
        group = UserGroup.objects.filter(org=org, external_id=external_id).first()
    elif primary_customer_id not in (None, ""):
        customer_id = group_id_of(primary_customer_id)
        group = UserGroup.objects.filter(org=org, primary_customer_id=customer_id).order_by("-id").first()
    else:
        raise InvalidInput("Name the group with id or externalId.", code=GroupErrorCode.GROUP_ID_REQUIRED,
                           fields={"id": ["id or externalId is required."]})
    if group is None:
        raise _not_found()
    return group


def _search_q(*, org: Org, q: str, plan) -> Q:
    """Groups whose name or externalId contains `q`, whose id is `q`, or whose primary member has `q` as an
    identifier the reader may see (shopper data's search, limited by `plan`) or as their external id."""
    cond = Q(name__icontains=q) | Q(external_id__icontains=q)
    if q.isascii() and q.isdigit() and len(q) <= 18:
        cond |= Q(pk=int(q))
    primaries = shopper_selectors.profile_list(org=org, plan=plan, q=q).values("id")
    cond |= Q(primary_customer_id__in=primaries)
    by_external_id = shopper_selectors.profile_identify(org=org, identifier_type="externalId", value=q)
    if by_external_id is not None:
        cond |= Q(primary_customer_id=by_external_id.pk)
    return cond


def group_list(*, org: Org, q: str = "", plan=None, status: str | None = None,
               group_type: str | None = None) -> QuerySet:
    """Returns `org`'s groups, newest first, with `active_members` and `exited_members` counted (one query,
    whatever the number of rows; a search by a primary member's identifier adds one lookup).

    `q` matches a group's name or externalId, its id, or an identifier of its primary member (see _search_q);
    `plan` is the searching person's shopper-data AccessPlan (None: a system reader) so a search never
    matches a value the person would see masked.
    """
    qs = UserGroup.objects.filter(org=org)
    q = (q or "").strip()
    if q:
        qs = qs.filter(_search_q(org=org, q=q, plan=plan))
    if status:
        qs = qs.filter(status=status)
    if group_type:
        qs = qs.filter(group_type=group_type)
    return qs.annotate(
        active_members=Count("memberships", filter=Q(memberships__left_at__isnull=True)),
        exited_members=Count("memberships", filter=Q(memberships__left_at__isnull=False)),
    ).order_by("-id")


def group_detail_get(*, org: Org, group_id) -> UserGroup:
    """Returns `org`'s group with `active_members` and `exited_members` (one query); NotFound group_not_found."""
    group = group_list(org=org).filter(pk=group_id_of(group_id)).first()
    if group is None:
        raise _not_found()
    return group


def member_counts(*, group: UserGroup) -> tuple[int, int]:
    """Returns (active, exited) member counts of the group (one query)."""
    counts = GroupMembership.objects.filter(group=group).aggregate(
        active=Count("id", filter=Q(left_at__isnull=True)), exited=Count("id", filter=Q(left_at__isnull=False)))
    return counts["active"], counts["exited"]


def _contribution(group_ref) -> Subquery:
    """Points a member earned for the group: the sum of its EARN ledger entries (a query, never a copy)."""
    entries = GroupLedgerEntry.objects.filter(group=group_ref, customer_id=OuterRef("customer_id"),
                                              kind=GroupLedgerEntry.Kind.EARN)
    total = entries.order_by().values("customer_id").annotate(total=Sum("points")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def membership_list(*, group: UserGroup, include_exited: bool = True, with_contribution: bool = True) -> QuerySet:
    """Returns the group's memberships (primary first, then by joining), each with `points_contributed` unless
    `with_contribution` is False (then take the sums from group_points, with the tracker, in one pass).

    One query for any number of members; the contribution sums read the ledger's (group, customer, kind,
    points) index only.
    """
    qs = GroupMembership.objects.filter(group=group)
    if not include_exited:
        qs = qs.filter(left_at__isnull=True)
    if with_contribution:
        qs = qs.annotate(points_contributed=_contribution(group.pk))
    return qs.order_by("-primary", "joined_at", "id")


def membership_get(*, group: UserGroup, customer_id: int) -> GroupMembership | None:
    """Returns the customer's current membership of the group (not exited), or None."""
    return GroupMembership.objects.filter(group=group, customer_id=customer_id, left_at__isnull=True).first()


# --- member identities (masked for people, plain for the till API) --------------------------------------------

DELETED_CUSTOMER = "Deleted customer"
IDENTITY_PROPERTIES = ("firstName", "lastName", "email", "mobile")


@dataclass(frozen=True)
class MemberIdentity:
    """Who a member is, as the reader may see it.

    `values` holds the identity properties the reader may see (masked ones carry the masking value, hidden
    ones are absent); `external_id` and `identifiers` are filled only for a system reader (plan None).
    A customer whose personal data was deleted is `deleted`, named DELETED_CUSTOMER, with no values.
    """

    customer_id: int
    deleted: bool
    name: str
    values: dict = field(default_factory=dict)
    identifiers: list = field(default_factory=list)


def member_identity(profile, plan, *, customer_id: int | None = None) -> MemberIdentity:
    """Returns the identity of `profile` for a reader with shopper-data AccessPlan `plan` (None: system reader).

    Values go through shopperdata.masking.present, the one read path of profile values.
    """
    if profile is None or profile.deleted_at is not None:
        return MemberIdentity(customer_id=profile.pk if profile is not None else customer_id, deleted=True,
                              name=DELETED_CUSTOMER)
    values = shopper_selectors.profile_values(profile)
    if plan is not None:
        shown = masking.present(values, plan)
        values = {code: shown[code] for code in IDENTITY_PROPERTIES if code in shown}
        identifiers = []
    else:
        values = {code: values.get(code) for code in IDENTITY_PROPERTIES}
        identifiers = [{"type": kind, "value": value} for kind, value in
                       (("mobile", profile.mobile), ("email", profile.email), ("externalId", profile.external_id))
                       if value]
    name = " ".join(str(values[k]) for k in ("firstName", "lastName") if values.get(k) not in (None, ""))
    name = name or str(values.get("email") or values.get("mobile") or f"Customer {profile.pk}")
    return MemberIdentity(customer_id=profile.pk, deleted=False, name=name, values=values, identifiers=identifiers)


def identities(*, org: Org, customer_ids, plan) -> dict[int, MemberIdentity]:
    """Returns {customer id: MemberIdentity} for `org`'s customers (one query); missing ids count as deleted."""
    ids = {int(i) for i in customer_ids if i is not None}
    found = {p.pk: p for p in shopper_selectors.profile_list(org=org).filter(pk__in=ids)} if ids else {}
    return {i: member_identity(found.get(i), plan, customer_id=i) for i in ids}


@dataclass(frozen=True)
class MemberRow:
    membership: GroupMembership
    identity: MemberIdentity
    points_contributed: int


def member_rows(*, org: Org, memberships, plan, points: "GroupPoints | None" = None) -> list[MemberRow]:
    """Returns the given memberships (from membership_list, e.g. one page) with their identities (one query).

    Contributions come from `points` (group_points) when given, else from the memberships' annotation.
    """
    memberships = list(memberships)
    who = identities(org=org, customer_ids=[m.customer_id for m in memberships], plan=plan)
    if points is not None:
        return [MemberRow(m, who[m.customer_id], points.contributed.get(m.customer_id, 0)) for m in memberships]
    return [MemberRow(m, who[m.customer_id], getattr(m, "points_contributed", 0) or 0) for m in memberships]


def member_groups(*, org: Org, customer_id: int, include_exited: bool = True) -> QuerySet:
    """Returns the customer's memberships with their group (select_related) and `points_contributed` to each,
    the default group first (one query)."""
    qs = GroupMembership.objects.filter(org=org, customer_id=customer_id).select_related("group")
    if not include_exited:
        qs = qs.filter(left_at__isnull=True)
    return qs.annotate(points_contributed=_contribution(OuterRef("group_id"))).order_by(
        "-default_group", "-primary", "joined_at", "id")


# --- the ledger and the members' transactions ---------------------------------------------------------------


def day_start(day: date) -> datetime:
    """Returns the first instant of `day` in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _in_days(qs: QuerySet, date_from: date | None, date_to: date | None) -> QuerySet:
    if date_from is not None:
        qs = qs.filter(created_at__gte=day_start(date_from))
    if date_to is not None:
        qs = qs.filter(created_at__lt=day_start(date_to + timedelta(days=1)))
    return qs


def group_ledger(*, group: UserGroup, customer_id: int | None = None, date_from: date | None = None,
                 date_to: date | None = None) -> QuerySet:
    """Returns the group's ledger entries, newest first, of one member and between two days (both included)."""
    qs = GroupLedgerEntry.objects.filter(group=group)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    return _in_days(qs, date_from, date_to).order_by("-created_at", "-id")


def group_transactions(*, org: Org, group: UserGroup, customer_id: int | None = None, date_from: date | None = None,
                       date_to: date | None = None) -> QuerySet:
    """Returns the transactions members made while in the group (from joining until leaving), newest first."""
    while_member = GroupMembership.objects.filter(group=group, customer_id=OuterRef("customer_id"),
                                                  joined_at__lte=OuterRef("created_at")).filter(
        Q(left_at__isnull=True) | Q(left_at__gt=OuterRef("created_at")))
    qs = Transaction.objects.filter(org=org).filter(Exists(while_member))
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    return _in_days(qs, date_from, date_to).order_by("-created_at", "-id")


# --- slabs, trackers and the loyalty summary ------------------------------------------------------------------


def window_start(*, program: GroupProgram, now: datetime) -> datetime:
    return now - timedelta(days=program.tracking_window_days)


def tracker(*, group: UserGroup, program: GroupProgram, now: datetime | None = None) -> int:
    """Returns the points the group earned in the program's tracking window ending `now` (one query)."""
    now = now or timezone.now()
    total = GroupLedgerEntry.objects.filter(group=group, kind=GroupLedgerEntry.Kind.EARN,
                                            created_at__gt=window_start(program=program, now=now),
                                            created_at__lte=now).aggregate(total=Sum("points"))["total"]
    return total or 0


@dataclass(frozen=True)
class GroupPoints:
    """What each member earned for the group (`contributed`, all time) and the group's tracker, from one pass."""

    contributed: dict
    tracker: int


def group_points(*, group: UserGroup, program: GroupProgram, now: datetime | None = None) -> GroupPoints:
    """Returns every member's contribution and the tracker in one query over the group's EARN entries (the
    group view reads the ledger once instead of twice)."""
    now = now or timezone.now()
    in_window = Q(created_at__gt=window_start(program=program, now=now), created_at__lte=now)
    rows = GroupLedgerEntry.objects.filter(group=group, kind=GroupLedgerEntry.Kind.EARN).order_by().values(
        "customer_id").annotate(total=Sum("points"), tracked=Sum("points", filter=in_window))
    contributed, tracked = {}, 0
    for row in rows:
        contributed[row["customer_id"]] = row["total"] or 0
        tracked += row["tracked"] or 0
    return GroupPoints(contributed=contributed, tracker=tracked)


def tracker_series(*, group: UserGroup, program: GroupProgram, now: datetime | None = None,
                   period_days: int = 30) -> list[dict]:
    """Returns the tracking window cut into periods of `period_days` (oldest first, the last one ending `now`):
    `[{"start", "end", "points", "tracker"}]`, `tracker` running up to the window's total (one query)."""
    now = now or timezone.now()
    start = window_start(program=program, now=now)
    periods = []
    end = now
    step = timedelta(days=max(1, period_days))
    while end > start:
        periods.append([max(start, end - step), end, 0])
        end -= step
    periods.reverse()
    # One pass in the database: a filtered sum per period (never the rows themselves).
    sums = GroupLedgerEntry.objects.filter(group=group, kind=GroupLedgerEntry.Kind.EARN, created_at__gt=start,
                                           created_at__lte=now).aggregate(**{
        f"p{i}": Sum("points", filter=Q(created_at__gt=period[0], created_at__lte=period[1]))
        for i, period in enumerate(periods)}) if periods else {}
    for i, period in enumerate(periods):
        period[2] = sums[f"p{i}"] or 0
    out, running = [], 0
    for period_start, period_end, points in periods:
        running += points
        out.append({"start": period_start, "end": period_end, "points": points, "tracker": running})
    return out


@dataclass(frozen=True)
class LoyaltySummary:
    """A group's loyalty now. Gaps are derived here, never stored (DESIGN §10)."""

    slab: Slab
    next_slab: Slab | None
    points: int
    lifetime_points: int
    lifetime_purchases: object
    tracker: int
    gap_to_upgrade: int | None  # None at the top slab
    gap_to_renew: int
    slab_expires_at: datetime | None
    window_days: int


def loyalty_summary(*, group: UserGroup, program: GroupProgram, now: datetime | None = None,
                    tracked: int | None = None) -> LoyaltySummary:
    """Returns the group's slab, next slab, points, tracker and gaps (one query: the tracker, unless `tracked`
    gives it, e.g. from group_points)."""
    slabs = slabs_of(program)
    slab = slab_at(slabs, group.slab_index)
    next_slab = slabs[slab.index + 1] if slab.index + 1 < len(slabs) else None
    current = tracker(group=group, program=program, now=now) if tracked is None else tracked
    return LoyaltySummary(
        slab=slab, next_slab=next_slab, points=group.balance, lifetime_points=group.lifetime_points,
        lifetime_purchases=group.lifetime_purchases, tracker=current,
        gap_to_upgrade=None if next_slab is None else max(0, next_slab.threshold - current),
        gap_to_renew=max(0, slab.renewal_threshold - current), slab_expires_at=group.slab_expires_at,
        window_days=program.tracking_window_days)


def slab_history(*, group: UserGroup) -> QuerySet:
    """Returns the group's slab events (upgrades, renewals, downgrades), newest first."""
    return GroupSlabEvent.objects.filter(group=group).order_by("-created_at", "-id")


def groups_due_for_slab_review(*, now: datetime, limit: int = 1000) -> list[int]:
    """Returns ids of active groups whose slab has expired by `now` (the daily task's work), oldest first."""
    return list(UserGroup.objects.filter(status=UserGroup.Status.ACTIVE, slab_expires_at__lte=now)
                .order_by("slab_expires_at", "id").values_list("id", flat=True)[:limit])


# --- company hierarchies --------------------------------------------------------------------------------------


@dataclass
class CompanyNode:
    group_id: int
    external_id: str
    name: str
    status: str
    current: bool = False  # the group the hierarchy was asked for
    children: list = field(default_factory=list)


def child_groups(*, group: UserGroup) -> list[UserGroup]:
    """Returns the group's direct child companies by name (one query)."""
    return list(UserGroup.objects.filter(parent=group).order_by(Lower("name"), "id").only(
        "id", "name", "external_id", "status"))


def child_ids(*, group: UserGroup) -> list[int]:
    """Returns the ids of the group's direct child companies (one query)."""
    return list(UserGroup.objects.filter(parent=group).order_by("id").values_list("id", flat=True))


def company_hierarchy(*, org: Org, group: UserGroup) -> CompanyNode | None:
    """Returns the tree of companies `group` belongs to, from its top parent down (one query for the org's
    companies); None for a family. The node of `group` itself has `current` True."""
    if group.group_type != UserGroup.Type.COMPANY:
        return None
    rows = UserGroup.objects.filter(org=org, group_type=UserGroup.Type.COMPANY).values_list(
        "id", "parent_id", "external_id", "name", "status")
    nodes, parents = {}, {}
    for pk, parent_id, external_id, name, status in rows:
        nodes[pk] = CompanyNode(pk, external_id, name, status, current=pk == group.pk)
        parents[pk] = parent_id
    for pk, parent_id in parents.items():
        if parent_id in nodes:
            nodes[parent_id].children.append(nodes[pk])
    top, seen = group.pk, set()
    while parents.get(top) in nodes and top not in seen:  # no cycles by construction; `seen` guards anyway
        seen.add(top)
        top = parents[top]
    return nodes.get(top)
