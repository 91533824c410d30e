"""Reads of the till API, always scoped to the caller's org."""

from accessadmin.models import Org

from ..models import BehavioralEventDefinition, PointsAccount, Store, Till, Transaction

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
