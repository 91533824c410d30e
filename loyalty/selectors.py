"""Reads of loyalty, always scoped to one org: transactions, points balances, event definitions."""

from django.http import Http404

from accessadmin import limits
from accessadmin.errors import InvalidInput, NotFound
from accessadmin.models import Org
from shopperdata import selectors as shopper_selectors

from .errors import LoyaltyErrorCode
from .models import BehavioralEventDefinition, PointsAccount, Transaction

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
    try:
        shopper_selectors.profile_get(org=org, pk=customer_id)
    except Http404:
        raise NotFound("No such customer.", code=LoyaltyErrorCode.CUSTOMER_NOT_FOUND) from None
    return customer_id
