"""Reads of the till API, always scoped to the caller's org."""

from accessadmin.errors import InvalidInput, NotFound
from accessadmin.models import Org

from ..models import BehavioralEventDefinition, PointsAccount, Store, Till, Transaction
from . import customers

LIST_LIMIT = 100


def transaction_list(*, org: Org, customer_id=None):
    qs = Transaction.objects.filter(org=org)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("-id")[:LIST_LIMIT]


def points_balance(*, org: Org, customer_id: int) -> int:
    return PointsAccount.objects.filter(org=org, customer_id=customer_id).values_list("balance", flat=True).first() \
        or 0


def store_list(*, org: Org):
    return Store.objects.filter(org=org).select_related("access_group").order_by("code")[:LIST_LIMIT * 10]


def till_list(*, org: Org):
    return Till.objects.filter(org=org).select_related("store").order_by("code")[:LIST_LIMIT * 10]


def event_definition_list(*, org: Org):
    return BehavioralEventDefinition.objects.filter(org=org).order_by("name")


def customer_id_of(*, org: Org, customer_id) -> int:
    """Returns `customer_id` as an int once it names a customer of `org`; InvalidInput or NotFound otherwise."""
    try:
        customer_id = int(customer_id)
    except (TypeError, ValueError):
        raise InvalidInput("customer_id must be a number.", code="invalid_customer",
                           fields={"customer_id": ["A number."]}) from None
    if not customers.exists(org=org, customer_id=customer_id):
        raise NotFound("No such customer.", code="customer_not_found")
    return customer_id
