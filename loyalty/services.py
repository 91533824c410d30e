"""Writes of loyalty: transactions (which credit points), points issue/redeem, behavioral events.

`caller` is who made the request through the till API: the authenticated till or API client
(enforcement.caller.Caller; anything with `till_id` and `api_client_id`). What it may do was decided
before these run. Balances never go below zero: redemption is one conditional UPDATE.
"""

from decimal import ROUND_DOWN, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from accessadmin import audit, limits
from accessadmin.errors import AppError, Conflict, InvalidInput, NotFound
from accessadmin.models import Org
from accessadmin.validation import clean_name

from . import selectors
from .errors import LoyaltyErrorCode
from .models import BehavioralEvent, BehavioralEventDefinition, PointsAccount, PointsEntry, Transaction

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


def _credit(org: Org, customer_id: int, points: int, kind: str, caller, txn=None) -> int:
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
                               transaction=txn, **_who(caller))
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
def transaction_add(*, caller, org: Org, customer_id, bill_number: str, amount: Decimal) -> Transaction:
    """Returns the recorded transaction; the customer earns POINTS_PER_UNIT per whole unit of `amount`."""
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
    txn = Transaction.objects.create(org=org, customer_id=customer_id, bill_number=bill_number, amount=amount,
                                     points=points, store_id=caller.store_id, **_who(caller))
    balance = _credit(org, customer_id, points, PointsEntry.Kind.EARN, caller, txn) if points else None
    audit.record(org=org, actor=caller, action="transaction.add", target=txn,
                 after={"customer_id": customer_id, "bill_number": bill_number, "amount": str(amount),
                        "points": points, **({"balance": balance} if balance is not None else {})})
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
