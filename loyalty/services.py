"""Writes of loyalty: transactions (which credit points), points issue/redeem, behavioral events.

`caller` is who made the request through the till API: the authenticated till or API client
(enforcement.caller.Caller; anything with `till_id` and `api_client_id`). What it may do was decided
before these run. Balances never go below zero: redemption is one conditional UPDATE.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accessadmin import audit, limits
from accessadmin.errors import AppError, Conflict, Forbidden, InvalidInput, NotFound
from accessadmin.models import Org
from accessadmin.validation import clean_name

from . import policies, selectors
from .errors import GroupCode, GroupErrorCode, LoyaltyErrorCode
from .models import (
    GROUP_TEXT_MAX_LENGTH,
    BehavioralEvent,
    BehavioralEventDefinition,
    GroupLedgerEntry,
    GroupMembership,
    GroupProgram,
    GroupSlabEvent,
    PointsAccount,
    PointsEntry,
    PointsTo,
    Transaction,
    UserGroup,
)

POINTS_PER_UNIT = 1  # one point per whole currency unit spent

# Points, balances and a transaction's points are integer columns: no number of points, and no balance, may pass
# POINTS_MAX. An amount stops where the points it earns would pass it, and within the column's digits.
POINTS_MAX = limits.INTEGER_MAX
_amount = Transaction._meta.get_field("amount")
AMOUNT_MAX_DIGITS, AMOUNT_DECIMAL_PLACES = _amount.max_digits, _amount.decimal_places
AMOUNT_MIN = Decimal(1).scaleb(-AMOUNT_DECIMAL_PLACES)  # 0.01
AMOUNT_MAX = min(Decimal(10) ** (AMOUNT_MAX_DIGITS - AMOUNT_DECIMAL_PLACES) - AMOUNT_MIN,
                 Decimal(POINTS_MAX // POINTS_PER_UNIT))
BILL_NUMBER_MAX_LENGTH = Transaction._meta.get_field("bill_number").max_length
EVENT_NAME_MAX_LENGTH = BehavioralEventDefinition._meta.get_field("name").max_length


class InsufficientPoints(AppError):
    status = 409
    code = LoyaltyErrorCode.INSUFFICIENT_POINTS
    message = "Not enough points."


class BalanceLimit(AppError):
    status = 409
    code = LoyaltyErrorCode.POINTS_BALANCE_LIMIT
    message = "The balance cannot hold that many points."


def _who(caller) -> dict:
    return {"till_id": caller.till_id, "api_client_id": caller.api_client_id}


def _account(org: Org, customer_id: int) -> PointsAccount:
    account = PointsAccount.objects.filter(org=org, customer_id=customer_id).first()
    if account is None:
        try:
            with transaction.atomic():
                account = PointsAccount.objects.create(org=org, customer_id=customer_id, balance=0)
        except IntegrityError:
            account = PointsAccount.objects.get(org=org, customer_id=customer_id)
    return account


def _credit(org: Org, customer_id: int, points: int, kind: str, caller, txn=None, now=None) -> int:
    """Returns the balance after adding `points`; BalanceLimit when it would pass POINTS_MAX.

    The check and the credit are one UPDATE ... WHERE balance <= POINTS_MAX - points, like a redemption.
    """
    account = _account(org, customer_id)
    if not PointsAccount.objects.filter(pk=account.pk, balance__lte=POINTS_MAX - points) \
            .update(balance=F("balance") + points):
        balance = PointsAccount.objects.values_list("balance", flat=True).get(pk=account.pk)
        raise BalanceLimit(f"Cannot add {points} points: the balance is {balance} and holds at most {POINTS_MAX}.",
                           extra={"balance": balance})
    balance = PointsAccount.objects.values_list("balance", flat=True).get(pk=account.pk)
    PointsEntry.objects.create(org=org, customer_id=customer_id, kind=kind, points=points, balance_after=balance,
                               transaction=txn, created_at=now or timezone.now(), **_who(caller))
    return balance


def _positive(points) -> int:
    if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= POINTS_MAX:
        raise InvalidInput(f"points must be a whole number from 1 to {POINTS_MAX}.",
                           code=LoyaltyErrorCode.INVALID_POINTS,
                           fields={"points": [f"A whole number from 1 to {POINTS_MAX}."]})
    return points


def _amount_in_range(amount) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite() or not AMOUNT_MIN <= amount <= AMOUNT_MAX \
            or amount != amount.quantize(AMOUNT_MIN):
        raise InvalidInput(f"amount must be from {AMOUNT_MIN} to {AMOUNT_MAX} with at most "
                           f"{AMOUNT_DECIMAL_PLACES} decimals.", code=LoyaltyErrorCode.INVALID_AMOUNT,
                           fields={"amount": [f"From {AMOUNT_MIN} to {AMOUNT_MAX}."]})
    return amount


@transaction.atomic
def transaction_add(*, caller, org: Org, customer_id, bill_number: str, amount: Decimal,
                    now: datetime | None = None) -> Transaction:
    """Returns the recorded transaction; the customer earns POINTS_PER_UNIT per whole unit of `amount`.

    With group loyalty on and the customer in a group (group_credit_target), the org's `points_to` decides
    whose wallet the points go to: the member's and the group's (both), the group's, or the member's.
    """
    customer_id = selectors.customer_id_of(org=org, customer_id=customer_id)
    bill_number = bill_number.strip() if isinstance(bill_number, str) else ""
    if not bill_number:
        raise InvalidInput("bill_number is required.", code=LoyaltyErrorCode.BILL_NUMBER_REQUIRED,
                           fields={"bill_number": ["Required."]})
    if len(bill_number) > BILL_NUMBER_MAX_LENGTH or "\x00" in bill_number:
        raise InvalidInput(f"bill_number must be at most {BILL_NUMBER_MAX_LENGTH} characters, without NUL.",
                           code=LoyaltyErrorCode.INVALID_BILL_NUMBER, fields={"bill_number": ["Too long or not text."]})
    amount = _amount_in_range(amount)
    points = int(amount.to_integral_value(rounding=ROUND_DOWN)) * POINTS_PER_UNIT
    now = now or timezone.now()
    txn = Transaction.objects.create(org=org, customer_id=customer_id, bill_number=bill_number, amount=amount,
                                     points=points, store_id=caller.store_id, created_at=now, **_who(caller))
    program = selectors.program_get(org=org)
    membership = group_credit_target(org=org, customer_id=customer_id) if program.enabled else None
    to_member = membership is None or program.points_to != PointsTo.GROUP
    to_group = membership is not None and program.points_to != PointsTo.MEMBER
    balance = _credit(org, customer_id, points, PointsEntry.Kind.EARN, caller, txn, now) \
        if points and to_member else None
    group_balance = _credit_group(org=org, program=program, group_id=membership.group_id, customer_id=customer_id,
                                  points=points, amount=amount, caller=caller, txn=txn, now=now) if to_group else None
    audit.record(org=org, actor=caller, action="transaction.add", target=txn,
                 after={"customer_id": customer_id, "bill_number": bill_number, "amount": str(amount),
                        "points": points, **({"balance": balance} if balance is not None else {}),
                        **({"group_id": membership.group_id, "group_balance": group_balance}
                           if group_balance is not None else {})})
    return txn


@transaction.atomic
def points_issue(*, caller, org: Org, customer_id, points) -> int:
    """Returns the new balance after adding `points`."""
    customer_id = selectors.customer_id_of(org=org, customer_id=customer_id)
    points = _positive(points)
    balance = _credit(org, customer_id, points, PointsEntry.Kind.ISSUE, caller)
    audit.record(org=org, actor=caller, action="points.issue", target=None, target_type="loyalty.pointsaccount",
                 target_id=str(customer_id), after={"customer_id": customer_id, "points": points, "balance": balance})
    return balance


@transaction.atomic
def points_redeem(*, caller, org: Org, customer_id, points) -> int:
    """Returns the new balance after taking `points`; refused (changing nothing) when it would go below zero.

    The check and the debit are one UPDATE ... WHERE balance >= points, so concurrent redemptions
    cannot overdraw the account on any database.
    """
    customer_id = selectors.customer_id_of(org=org, customer_id=customer_id)
    points = _positive(points)
    account = _account(org, customer_id)
    if not PointsAccount.objects.filter(pk=account.pk, balance__gte=points).update(balance=F("balance") - points):
        balance = PointsAccount.objects.values_list("balance", flat=True).get(pk=account.pk)
        raise InsufficientPoints(f"Cannot redeem {points} points: the balance is {balance}.",
                                 extra={"balance": balance})
    balance = PointsAccount.objects.values_list("balance", flat=True).get(pk=account.pk)
    PointsEntry.objects.create(org=org, customer_id=customer_id, kind=PointsEntry.Kind.REDEEM, points=-points,
                               balance_after=balance, **_who(caller))
    audit.record(org=org, actor=caller, action="points.redeem", target=None, target_type="loyalty.pointsaccount",
                 target_id=str(customer_id), after={"customer_id": customer_id, "points": -points, "balance": balance})
    return balance


@transaction.atomic
def event_definition_create(*, org: Org, name: str, description: str = "", attributes=None,
                            actor=None) -> BehavioralEventDefinition:
    """Returns the org's new behavioral event definition. `actor` None: the door's actor (the till API's
    caller, a command) is recorded."""
    name = clean_name(name, max_length=EVENT_NAME_MAX_LENGTH)
    description = description or ""
    if not isinstance(description, str) or len(description) > limits.DESCRIPTION_MAX_LENGTH:
        raise InvalidInput(f"description must be text of at most {limits.DESCRIPTION_MAX_LENGTH} characters.",
                           code=LoyaltyErrorCode.INVALID_DESCRIPTION, fields={"description": ["Too long or not text."]})
    attributes = attributes or []
    if not isinstance(attributes, list) or not all(isinstance(a, str) and 0 < len(a) <= EVENT_NAME_MAX_LENGTH
                                                   for a in attributes):
        raise InvalidInput("attributes must be a list of names.", code=LoyaltyErrorCode.INVALID_ATTRIBUTES,
                           fields={"attributes": ["A list of names."]})
    if BehavioralEventDefinition.objects.filter(org=org, name=name).exists():
        raise Conflict(f"An event named {name!r} exists.", code=LoyaltyErrorCode.DUPLICATE_NAME)
    try:
        with transaction.atomic():
            definition = BehavioralEventDefinition.objects.create(org=org, name=name, description=description,
                                                                  attributes=attributes)
    except IntegrityError:
        raise Conflict(f"An event named {name!r} exists.", code=LoyaltyErrorCode.DUPLICATE_NAME) from None
    audit.record(org=org, actor=actor, action="event_definition.create", target=definition,
                 after={"name": name, "description": description, "attributes": attributes})
    return definition


@transaction.atomic
def event_post(*, caller, org: Org, event: str, customer_id=None, attributes=None) -> BehavioralEvent:
    """Returns the recorded event; `event` names one of the org's definitions."""
    if not isinstance(event, str):
        raise InvalidInput("event must be the name of a behavioral event.", code=LoyaltyErrorCode.INVALID_EVENT,
                           fields={"event": ["A name."]})
    definition = BehavioralEventDefinition.objects.filter(org=org, name=event).first()
    if definition is None:
        raise NotFound(f"No behavioral event named {event!r}.", code=LoyaltyErrorCode.EVENT_NOT_FOUND)
    attributes = attributes or {}
    if not isinstance(attributes, dict):
        raise InvalidInput("attributes must be an object.", code=LoyaltyErrorCode.INVALID_ATTRIBUTES)
    unknown = sorted(set(attributes) - set(definition.attributes))
    if unknown:
        raise InvalidInput(f"Unknown attributes: {', '.join(unknown)}.", code=LoyaltyErrorCode.UNKNOWN_ATTRIBUTES,
                           fields={"attributes": [f"Unknown: {', '.join(unknown)}"]})
    if customer_id is not None:
        customer_id = selectors.customer_id_of(org=org, customer_id=customer_id)
    posted = BehavioralEvent.objects.create(org=org, definition=definition, customer_id=customer_id,
                                            attributes=attributes, **_who(caller))
    audit.record(org=org, actor=caller, action="event.post", target=posted,
                 after={"event": definition.name, "customer_id": customer_id, "attributes": attributes})
    return posted


# --- group loyalty: the program -------------------------------------------------------------------------------

PROGRAM_FIELDS = ("enabled", "max_group_size", "points_to", "tracking_window_days", "slabs")
ORG_GROUP_SIZE_MAX = 1000  # the highest cap an org may set on members per group
WINDOW_DAYS_MAX = 3650
SLABS_MAX = 20
SLAB_NAME_MAX_LENGTH = GroupSlabEvent._meta.get_field("to_slab").max_length
SLAB_KEYS = ("name", "threshold", "renewal_threshold")


def _program_error(name: str, message: str) -> InvalidInput:
    return InvalidInput(f"{name}: {message}", code=GroupErrorCode.INVALID_PROGRAM, fields={name: [message]})


def _whole(value, low: int, high: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def check_slabs(slabs) -> list[dict]:
    """Returns `slabs` normalised (names stripped); InvalidInput invalid_slabs naming the first broken rule.

    Rules: a list of 1 to SLABS_MAX objects with exactly name, threshold and renewal_threshold; names unique
    (ignoring case); the first threshold 0; thresholds strictly ascending; 0 ≤ renewal_threshold ≤ threshold.
    """
    def refuse(message: str):
        raise InvalidInput(f"slabs: {message}", code=GroupErrorCode.INVALID_SLABS, fields={"slabs": [message]})

    if not isinstance(slabs, list) or not 1 <= len(slabs) <= SLABS_MAX:
        refuse(f"A list of 1 to {SLABS_MAX} slabs.")
    out, names = [], set()
    for i, slab in enumerate(slabs):
        where = f"slab {i + 1}"
        if not isinstance(slab, dict) or set(slab) != set(SLAB_KEYS):
            refuse(f"{where} must be an object with exactly name, threshold and renewal_threshold.")
        name = slab["name"].strip() if isinstance(slab["name"], str) else ""
        if not name or len(name) > SLAB_NAME_MAX_LENGTH:
            refuse(f"{where}: name must be text of 1 to {SLAB_NAME_MAX_LENGTH} characters.")
        if name.casefold() in names:
            refuse(f"{where}: the name {name!r} is used twice.")
        names.add(name.casefold())
        threshold, renewal = slab["threshold"], slab["renewal_threshold"]
        if not _whole(threshold, 0, POINTS_MAX) or not _whole(renewal, 0, POINTS_MAX):
            refuse(f"{where}: threshold and renewal_threshold must be whole numbers from 0 to {POINTS_MAX}.")
        if i == 0 and threshold != 0:
            refuse("The first slab's threshold must be 0.")
        if out and threshold <= out[-1]["threshold"]:
            refuse(f"{where}: thresholds must ascend ({threshold} follows {out[-1]['threshold']}).")
        if renewal > threshold:
            refuse(f"{where}: renewal_threshold ({renewal}) must not pass the threshold ({threshold}).")
        out.append({"name": name, "threshold": threshold, "renewal_threshold": renewal})
    return out


def _program_state(program: GroupProgram) -> dict:
    return {name: getattr(program, name) for name in PROGRAM_FIELDS}


@transaction.atomic
def program_update(*, actor, org: Org, changes: dict) -> GroupProgram:
    """Returns `org`'s group program with `changes` (any of PROGRAM_FIELDS) applied. Administrators only.

    Checks every change before writing; audited with before and after of what changed.
    """
    if not policies.can_manage_program(actor):
        raise Forbidden("Only administrators change the group loyalty program.",
                        code=GroupErrorCode.PROGRAM_FORBIDDEN)
    unknown = sorted(set(changes) - set(PROGRAM_FIELDS))
    if unknown:
        raise _program_error(unknown[0], "Not a setting of the group program.")
    GroupProgram.objects.get_or_create(org=org)
    program = GroupProgram.objects.select_for_update().get(org=org)
    before = _program_state(program)
    if "enabled" in changes:
        if not isinstance(changes["enabled"], bool):
            raise _program_error("enabled", "Must be true or false.")
        program.enabled = changes["enabled"]
    if "max_group_size" in changes:
        if not _whole(changes["max_group_size"], 1, ORG_GROUP_SIZE_MAX):
            raise _program_error("max_group_size", f"A whole number from 1 to {ORG_GROUP_SIZE_MAX}.")
        program.max_group_size = changes["max_group_size"]
    if "points_to" in changes:
        if changes["points_to"] not in PointsTo.values:
            raise _program_error("points_to", f"One of {', '.join(PointsTo.values)}.")
        program.points_to = changes["points_to"]
    if "tracking_window_days" in changes:
        if not _whole(changes["tracking_window_days"], 1, WINDOW_DAYS_MAX):
            raise _program_error("tracking_window_days", f"A whole number from 1 to {WINDOW_DAYS_MAX}.")
        program.tracking_window_days = changes["tracking_window_days"]
    if "slabs" in changes:
        program.slabs = check_slabs(changes["slabs"])
    after = _program_state(program)
    if after != before:
        program.save()
        audit.record(org=org, actor=actor, action="group_program.update", target=program,
                     before={k: v for k, v in before.items() if after[k] != v},
                     after={k: v for k, v in after.items() if before[k] != v})
    return program


# --- user groups ----------------------------------------------------------------------------------------------


def _group_text(value, name: str, code, *, required: bool) -> str:
    value = value.strip() if isinstance(value, str) else ("" if value is None else None)
    if value is None or len(value) > GROUP_TEXT_MAX_LENGTH or (required and not value):
        what = "Required: text" if required else "Text"
        raise InvalidInput(f"{name}: {what} of at most {GROUP_TEXT_MAX_LENGTH} characters.", code=code,
                           fields={name: [f"{what} of at most {GROUP_TEXT_MAX_LENGTH} characters."]})
    return value


def _group_size(value, program: GroupProgram, *, at_least: int = 1) -> int:
    if not _whole(value, max(1, at_least), program.max_group_size):
        message = f"A whole number from {max(1, at_least)} to {program.max_group_size} (the organization's cap)."
        if at_least > program.max_group_size:
            message = f"The group has {at_least} members, more than the organization's cap."
        raise InvalidInput(f"maxGroupSize: {message}", code=GroupErrorCode.INVALID_GROUP_SIZE,
                           fields={"maxGroupSize": [message]})
    return value


def _check_unique(org: Org, *, external_id: str, name: str, exclude: int | None = None) -> None:
    others = UserGroup.objects.filter(org=org).exclude(pk=exclude)
    if others.filter(external_id=external_id).exists():
        raise Conflict(f"A group with externalId {external_id!r} exists.", code=GroupErrorCode.DUPLICATE_EXTERNAL_ID,
                       fields={"externalId": ["Taken by another group."]})
    if name and others.filter(name__iexact=name).exists():
        raise Conflict(f"A group named {name!r} exists.", code=GroupErrorCode.DUPLICATE_GROUP_NAME,
                       fields={"groupName": ["Taken by another group (names ignore case)."]})


def _parent(org: Org, parent_group_id, group_type: str, *, child: UserGroup | None = None) -> UserGroup | None:
    """Returns the parent company named by `parent_group_id`; InvalidInput invalid_parent for a family, a group
    that is not one of the org's companies, or a parent below `child` (a cycle)."""
    if parent_group_id is None:
        return None

    def refuse(message: str):
        raise InvalidInput(f"parentGroupId: {message}", code=GroupErrorCode.INVALID_PARENT,
                           fields={"parentGroupId": [message]})

    if group_type != UserGroup.Type.COMPANY:
        refuse("Only a COMPANY has a parent group.")
    if not _whole(parent_group_id, 1, limits.BIGINT_MAX):
        refuse("A group id.")
    parent = UserGroup.objects.filter(org=org, pk=parent_group_id, group_type=UserGroup.Type.COMPANY).first()
    if parent is None:
        refuse("No company group of the organization has this id.")
    seen, node = set(), parent
    while node is not None and node.pk not in seen:  # walk up: the child must not be an ancestor of its parent
        if child is not None and node.pk == child.pk:
            refuse("The parent is below this group: companies form no cycles.")
        seen.add(node.pk)
        node = UserGroup.objects.filter(pk=node.parent_id).first() if node.parent_id else None
    return parent


def _group_state(group: UserGroup) -> dict:
    return {"external_id": group.external_id, "name": group.name, "group_type": group.group_type,
            "max_group_size": group.max_group_size, "parent_id": group.parent_id, "status": group.status}


@transaction.atomic
def group_create(*, org: Org, external_id, max_group_size, name="", group_type=UserGroup.Type.FAMILY,
                 parent_group_id=None, extended_fields=None, actor=None, now: datetime | None = None) -> UserGroup:
    """Returns `org`'s new group (ACTIVE, the first slab, no members). `actor` None: the door's actor (the till).

    Needs the program on (400 group_loyalty_disabled); externalId and name unique per org (409), size within
    the org's cap; a parent only for a COMPANY, and only one of the org's companies.
    """
    program = selectors.require_enabled(org=org)
    external_id = _group_text(external_id, "externalId", GroupErrorCode.INVALID_EXTERNAL_ID, required=True)
    name = _group_text(name, "groupName", GroupErrorCode.INVALID_GROUP_NAME, required=False)
    if group_type not in UserGroup.Type.values:
        raise InvalidInput("groupType must be FAMILY or COMPANY.", code=GroupErrorCode.INVALID_GROUP_TYPE,
                           fields={"groupType": ["FAMILY or COMPANY."]})
    size = _group_size(max_group_size, program)
    parent = _parent(org, parent_group_id, group_type)
    extended_fields = extended_fields or {}
    if not isinstance(extended_fields, dict):
        raise InvalidInput("extendedFields must be an object.", code=GroupErrorCode.INVALID_EXTENDED_FIELDS,
                           fields={"extendedFields": ["An object."]})
    _check_unique(org, external_id=external_id, name=name)
    try:
        with transaction.atomic():
            group = UserGroup.objects.create(org=org, external_id=external_id, name=name, group_type=group_type,
                                             max_group_size=size, parent=parent, extended_fields=extended_fields,
                                             created_at=now or timezone.now())
    except IntegrityError:  # a concurrent create took the externalId or the name first
        _check_unique(org, external_id=external_id, name=name)
        raise
    audit.record(org=org, actor=actor, action="user_group.create", target=group, after=_group_state(group))
    return group


@transaction.atomic
def group_update(*, org: Org, group_id, external_id, name, max_group_size, actor=None) -> UserGroup:
    """Returns the group with its externalId, name and size changed (size ≥ its current member count)."""
    program = selectors.require_enabled(org=org)
    group = selectors.group_get(org=org, group_id=group_id)
    group = UserGroup.objects.select_for_update().get(pk=group.pk)
    external_id = _group_text(external_id, "externalId", GroupErrorCode.INVALID_EXTERNAL_ID, required=True)
    name = _group_text(name, "groupName", GroupErrorCode.INVALID_GROUP_NAME, required=False)
    members = GroupMembership.objects.filter(group=group, left_at__isnull=True).count()
    size = _group_size(max_group_size, program, at_least=members)
    _check_unique(org, external_id=external_id, name=name, exclude=group.pk)
    before = _group_state(group)
    group.external_id, group.name, group.max_group_size = external_id, name, size
    after = _group_state(group)
    if after != before:
        try:
            with transaction.atomic():
                group.save(update_fields=["external_id", "name", "max_group_size", "updated_at"])
        except IntegrityError:
            _check_unique(org, external_id=external_id, name=name, exclude=group.pk)
            raise
        audit.record(org=org, actor=actor, action="user_group.update", target=group,
                     before={k: v for k, v in before.items() if after[k] != v},
                     after={k: v for k, v in after.items() if before[k] != v})
    return group


@dataclass
class JoinRow:
    """One row of a join: the membership made or changed, or the numeric code and message of its failure."""

    customer_id: int
    membership: GroupMembership | None = None
    code: GroupCode | None = None
    message: str = ""


class _RowRefused(Exception):
    def __init__(self, code: GroupCode, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@transaction.atomic
def group_join(*, org: Org, group_id, members: list[dict], actor=None, now: datetime | None = None) -> list[JoinRow]:
    """Returns one JoinRow per item of `members`, in order: each joins (or, for a current member, changes its
    role, permissions and flags) or fails alone with its code. Items: customer_id, primary, default_group,
    active, role, permissions (checked for their types by the caller's input serializer).

    Every customer must be one of the org's (else InvalidInput naming the item; nothing changes). Rules per
    row: one primary member per group, set once (1637); a customer is primary in at most one group (1642)
    and has at most one default group (1643); no new member past the group's size or the org's cap (1638);
    only the four known permissions (1641). Holds the group's row lock, so concurrent joins count right.
    """
    program = selectors.require_enabled(org=org)
    group = selectors.group_get(org=org, group_id=group_id)
    group = UserGroup.objects.select_for_update().get(pk=group.pk)
    if group.status != UserGroup.Status.ACTIVE:
        raise Conflict("The group is inactive: its primary member has left.", code=GroupErrorCode.GROUP_INACTIVE)
    for i, item in enumerate(members):
        try:
            selectors.customer_id_of(org=org, customer_id=item["customer_id"])
        except AppError:
            raise InvalidInput(f"Item {i + 1}: no customer of the organization has userId {item['customer_id']}.",
                               code=GroupErrorCode.UNKNOWN_CUSTOMER,
                               fields={f"[{i}].userId": ["No such customer."]}) from None
    now = now or timezone.now()
    cap = min(group.max_group_size, program.max_group_size)
    count = GroupMembership.objects.filter(group=group, left_at__isnull=True).count()
    rows = []
    for item in members:
        row = JoinRow(customer_id=item["customer_id"])
        try:
            with transaction.atomic():
                row.membership, joined = _join_one(org, group, item, cap=cap, count=count, now=now)
        except _RowRefused as refused:
            row.code, row.message = refused.code, refused.message
        except IntegrityError:  # a concurrent join elsewhere made the customer primary or default first
            row.code, row.message = GroupCode.PRIMARY_ELSEWHERE if item.get("primary") else \
                GroupCode.DEFAULT_ELSEWHERE, "The customer's primary or default group changed meanwhile."
        else:
            count += joined
            m = row.membership
            audit.record(org=org, actor=actor, action="user_group.join", target=group,
                         after={"customer_id": m.customer_id, "primary": m.primary, "default_group": m.default_group,
                                "active": m.active, "role": m.role, "permissions": m.permissions})
        rows.append(row)
    return rows


def _join_one(org: Org, group: UserGroup, item: dict, *, cap: int, count: int, now: datetime):
    """Returns (membership, 1 when a member was added else 0); _RowRefused with the row's code."""
    customer_id = item["customer_id"]
    permissions = list(item.get("permissions") or [])
    unknown = [p for p in permissions if p not in GroupMembership.PERMISSIONS]
    if unknown:
        raise _RowRefused(GroupCode.UNKNOWN_PERMISSION, f"Unknown permission: {', '.join(map(str, unknown))}.")
    existing = GroupMembership.objects.filter(group=group, customer_id=customer_id).first()
    current = existing is not None and existing.left_at is None
    primary = bool(item.get("primary")) or (existing is not None and existing.primary)
    if primary and not (existing is not None and existing.primary):
        if group.primary_customer_id is not None:
            raise _RowRefused(GroupCode.PRIMARY_EXISTS, "The group already has a primary member.")
        if GroupMembership.objects.filter(org=org, customer_id=customer_id, primary=True, left_at__isnull=True) \
                .exclude(group=group).exists():
            raise _RowRefused(GroupCode.PRIMARY_ELSEWHERE, "The customer is the primary member of another group.")
    default = bool(item.get("default_group"))
    if default and GroupMembership.objects.filter(org=org, customer_id=customer_id, default_group=True,
                                                  left_at__isnull=True).exclude(group=group).exists():
        raise _RowRefused(GroupCode.DEFAULT_ELSEWHERE, "The customer already has another default group.")
    if not current and count >= cap:
        raise _RowRefused(GroupCode.GROUP_FULL, "reached maximum group capacity")
    membership = existing or GroupMembership(org=org, group=group, customer_id=customer_id)
    if not current:
        membership.joined_at, membership.left_at = now, None
    membership.primary, membership.default_group = primary, default
    membership.active = item.get("active", True) is not False
    membership.role = item.get("role") or ""
    for name in GroupMembership.PERMISSIONS:
        setattr(membership, name, name in permissions)
    membership.save()
    if primary and group.primary_customer_id is None:
        group.primary_customer_id = customer_id
        UserGroup.objects.filter(pk=group.pk).update(primary_customer_id=customer_id)
    return membership, 0 if current else 1


@transaction.atomic
def group_leave(*, org: Org, group_id, customer_id, actor=None, now: datetime | None = None) -> GroupMembership:
    """Returns the membership, now exited; the group becomes INACTIVE when its primary member leaves.

    InvalidInput not_a_member when the customer is not a current member. The member's ledger entries stay.
    """
    selectors.require_enabled(org=org)
    group = selectors.group_get(org=org, group_id=group_id)
    group = UserGroup.objects.select_for_update().get(pk=group.pk)
    membership = selectors.membership_get(group=group, customer_id=customer_id)
    if membership is None:
        raise InvalidInput("The customer is not a member of this group.", code=GroupErrorCode.NOT_A_MEMBER,
                           fields={"identifierValue": ["Not a current member of the group."]})
    membership.left_at, membership.default_group = now or timezone.now(), False
    membership.save(update_fields=["left_at", "default_group"])
    if membership.primary and group.status != UserGroup.Status.INACTIVE:
        group.status = UserGroup.Status.INACTIVE
        group.save(update_fields=["status", "updated_at"])
    audit.record(org=org, actor=actor, action="user_group.leave", target=group,
                 after={"customer_id": customer_id, "primary": membership.primary, "group_status": group.status})
    return membership


# --- group wallets and slabs ----------------------------------------------------------------------------------


def group_credit_target(*, org: Org, customer_id: int) -> GroupMembership | None:
    """Returns the membership whose group earns from the customer's transactions: the customer's default group,
    else their one group when they are in exactly one (current, active memberships of ACTIVE groups); None when
    they are in none, or in several with no default."""
    memberships = list(GroupMembership.objects.filter(org=org, customer_id=customer_id, left_at__isnull=True,
                                                      active=True, group__status=UserGroup.Status.ACTIVE)
                       .order_by("-default_group", "id")[:2])
    if not memberships:
        return None
    if memberships[0].default_group or len(memberships) == 1:
        return memberships[0]
    return None


def _credit_group(*, org: Org, program: GroupProgram, group_id: int, customer_id: int, points: int,
                  amount: Decimal, caller, txn, now: datetime) -> int:
    """Returns the group's balance after crediting `points` earned by `customer_id`'s transaction, writing the
    ledger entry and upgrading the slab when the tracker reaches the next threshold.

    One conditional UPDATE adds to the wallet and the counters; it holds the group's row lock until commit, so
    concurrent credits of one group are serialised and each sees the tracker of those before it.
    """
    if not UserGroup.objects.filter(pk=group_id, balance__lte=POINTS_MAX - points).update(
            balance=F("balance") + points, lifetime_points=F("lifetime_points") + points,
            lifetime_purchases=F("lifetime_purchases") + amount):
        balance = UserGroup.objects.values_list("balance", flat=True).get(pk=group_id)
        raise BalanceLimit(f"Cannot add {points} points: the group's balance is {balance}.",
                           extra={"balance": balance})
    group = UserGroup.objects.get(pk=group_id)
    if points:
        GroupLedgerEntry.objects.create(org=org, group=group, customer_id=customer_id,
                                        kind=GroupLedgerEntry.Kind.EARN, points=points, balance_after=group.balance,
                                        transaction=txn, created_at=now, **_who(caller))
        _upgrade(group=group, program=program, now=now)
    return group.balance


def _slab_event(group: UserGroup, *, reason, from_slab, to_slab, tracker: int, expires_at, now) -> GroupSlabEvent:
    return GroupSlabEvent.objects.create(org_id=group.org_id, group=group, reason=reason, from_slab=from_slab.name,
                                         to_slab=to_slab.name, tracker=tracker, expires_at=expires_at,
                                         created_at=now)


def _upgrade(*, group: UserGroup, program: GroupProgram, now: datetime) -> GroupSlabEvent | None:
    """Moves the group (whose row the caller holds locked) up to the highest slab its tracker reaches, at once.
    The new slab lasts the tracking window from now."""
    slabs = selectors.slabs_of(program)
    current = selectors.slab_at(slabs, group.slab_index)
    if current.index == len(slabs) - 1:
        return None
    tracker = selectors.tracker(group=group, program=program, now=now)
    target = max(slab.index for slab in slabs if slab.threshold <= tracker)
    if target <= current.index:
        return None
    expires_at = now + timedelta(days=program.tracking_window_days)
    UserGroup.objects.filter(pk=group.pk).update(slab_index=target, slab_expires_at=expires_at)
    group.slab_index, group.slab_expires_at = target, expires_at
    return _slab_event(group, reason=GroupSlabEvent.Reason.UPGRADE, from_slab=current, to_slab=slabs[target],
                       tracker=tracker, expires_at=expires_at, now=now)


@transaction.atomic
def slab_review(*, group_id: int, now: datetime | None = None) -> GroupSlabEvent | None:
    """Returns the renewal or downgrade of the group's slab when it has expired by `now`, else None.

    At expiry the slab renews (for another tracking window from its expiry) when the tracker reaches its
    renewal threshold, else the group drops one slab (the first slab never expires). Idempotent: a second
    run finds the slab not expired and changes nothing. Locks the group's row.
    """
    now = now or timezone.now()
    group = UserGroup.objects.select_for_update().filter(pk=group_id).first()
    if group is None or group.slab_expires_at is None or group.slab_expires_at > now \
            or group.status != UserGroup.Status.ACTIVE:
        return None
    program = selectors.program_get(org=group.org)
    slabs = selectors.slabs_of(program)
    current = selectors.slab_at(slabs, group.slab_index)
    tracker = selectors.tracker(group=group, program=program, now=now)
    window = timedelta(days=program.tracking_window_days)
    if tracker >= current.renewal_threshold:
        reason, new = GroupSlabEvent.Reason.RENEWAL, current
        expires_at = group.slab_expires_at + window
        if expires_at <= now:  # the review ran late by more than a window
            expires_at = now + window
    else:
        reason, new = GroupSlabEvent.Reason.DOWNGRADE, slabs[max(0, current.index - 1)]
        expires_at = now + window if new.index > 0 else None
    UserGroup.objects.filter(pk=group.pk).update(slab_index=new.index, slab_expires_at=expires_at)
    group.slab_index, group.slab_expires_at = new.index, expires_at
    event = _slab_event(group, reason=reason, from_slab=current, to_slab=new, tracker=tracker,
                        expires_at=expires_at, now=now)
    audit.record(org=group.org, actor=None, action=f"user_group.slab_{reason}", target=group,
                 before={"slab": current.name}, after={"slab": new.name, "tracker": tracker,
                                                       "expires_at": expires_at})
    return event


def review_due_slabs(*, now: datetime | None = None, batch: int = 500) -> int:
    """Reviews every group whose slab has expired by `now` (each in its own transaction); returns how many
    changed. The daily task calls it."""
    now = now or timezone.now()
    changed, done = 0, set()
    while True:
        ids = [i for i in selectors.groups_due_for_slab_review(now=now, limit=batch) if i not in done]
        if not ids:
            return changed
        for group_id in ids:
            done.add(group_id)
            changed += slab_review(group_id=group_id, now=now) is not None


@transaction.atomic
def group_redeem(*, caller, org: Org, group_id, customer_id, points, now: datetime | None = None) -> int:
    """Returns the group's balance after `customer_id` redeems `points` from it; refused, changing nothing, when
    the member may not redeem (allow_points_redemption and not block_points_redemption), or the balance is
    lower than `points`. The check and the debit are one UPDATE ... WHERE balance >= points, so concurrent
    redemptions never overdraw the group's wallet."""
    selectors.require_enabled(org=org)
    customer_id = selectors.customer_id_of(org=org, customer_id=customer_id)
    points = _positive(points)
    group = selectors.group_get(org=org, group_id=group_id)
    if group.status != UserGroup.Status.ACTIVE:
        raise Conflict("The group is inactive: its primary member has left.", code=GroupErrorCode.GROUP_INACTIVE)
    membership = selectors.membership_get(group=group, customer_id=customer_id)
    if membership is None:
        raise InvalidInput("The customer is not a member of this group.", code=GroupErrorCode.NOT_A_MEMBER,
                           fields={"customer_id": ["Not a current member of the group."]})
    if not policies.may_redeem_from_group(membership):
        raise InvalidInput("The member may not redeem the group's points.",
                           code=GroupErrorCode.REDEMPTION_NOT_ALLOWED,
                           fields={"customer_id": ["Needs allow_points_redemption and no block_points_redemption."]})
    if not UserGroup.objects.filter(pk=group.pk, balance__gte=points).update(balance=F("balance") - points):
        balance = UserGroup.objects.values_list("balance", flat=True).get(pk=group.pk)
        raise InsufficientPoints(f"Cannot redeem {points} points: the group's balance is {balance}.",
                                 extra={"balance": balance})
    balance = UserGroup.objects.values_list("balance", flat=True).get(pk=group.pk)
    GroupLedgerEntry.objects.create(org=org, group=group, customer_id=customer_id, kind=GroupLedgerEntry.Kind.REDEEM,
                                    points=-points, balance_after=balance, created_at=now or timezone.now(),
                                    **_who(caller))
    audit.record(org=org, actor=caller, action="user_group.redeem", target=group,
                 after={"customer_id": customer_id, "points": -points, "balance": balance})
    return balance
