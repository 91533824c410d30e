"""Input serializers of the till API: the limits of every write, read from the columns they fill.

Fields are snake_case. Whole numbers (points, customer ids) are JSON integers; amounts are decimals given as a
JSON number or a string ("19.90", the form the API answers with), with at most the column's digits and
decimal places, and small enough that the points they earn fit the points columns.
"""

from rest_framework import serializers

from accessadmin import limits
from accessadmin.api.fields import Input, model_max_length
from loyalty.models import BehavioralEventDefinition
from loyalty.services import (
    AMOUNT_DECIMAL_PLACES,
    AMOUNT_MAX,
    AMOUNT_MAX_DIGITS,
    AMOUNT_MIN,
    BILL_NUMBER_MAX_LENGTH,
    POINTS_MAX,
)
from stores.models import Store, Till

from . import customers

EVENT_ATTRIBUTES_MAX = 100  # attribute names one behavioral event definition may declare


def _customer_id(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=limits.BIGINT_MAX, **kwargs)


class CustomerInput(Input):
    """Register (at least mobile or email) or update a customer; the lengths are the profile columns'."""

    email = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                  max_length=customers.MAX_LENGTHS["email"])
    mobile = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                   max_length=customers.MAX_LENGTHS["mobile"])
    first_name = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                       max_length=customers.MAX_LENGTHS["first_name"])
    last_name = serializers.CharField(required=False, allow_null=True, allow_blank=True,
                                      max_length=customers.MAX_LENGTHS["last_name"])


class TransactionInput(Input):
    customer_id = _customer_id()
    bill_number = serializers.CharField(max_length=BILL_NUMBER_MAX_LENGTH)
    amount = serializers.DecimalField(max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES,
                                      min_value=AMOUNT_MIN, max_value=AMOUNT_MAX)


class PointsInput(Input):
    customer_id = _customer_id()
    points = serializers.IntegerField(min_value=1, max_value=POINTS_MAX)


class RedeemInput(PointsInput):
    groupId = _customer_id(required=False, allow_null=True, default=None,  # noqa: N815
                           help_text="Redeem from this user group's wallet (the customer must be a member allowed "
                                     "to redeem); without it, from the customer's own.")


class EventInput(Input):
    event = serializers.CharField(max_length=model_max_length(BehavioralEventDefinition, "name"))
    customer_id = _customer_id(required=False, allow_null=True, default=None)
    attributes = serializers.DictField(required=False, allow_null=True, default=dict)


class StoreInput(Input):
    code = serializers.CharField(max_length=model_max_length(Store, "code"))
    name = serializers.CharField(max_length=model_max_length(Store, "name"))
    city = serializers.CharField(required=False, allow_null=True, allow_blank=True, default="",
                                 max_length=model_max_length(Store, "city"))


class TillInput(Input):
    store = serializers.CharField(max_length=model_max_length(Store, "code"))
    code = serializers.CharField(required=False, allow_blank=True, default="",
                                 max_length=model_max_length(Till, "code"))


class EventDefinitionInput(Input):
    name = serializers.CharField(max_length=model_max_length(BehavioralEventDefinition, "name"))
    description = serializers.CharField(required=False, allow_blank=True, default="",
                                        max_length=limits.DESCRIPTION_MAX_LENGTH)
    attributes = serializers.ListField(
        child=serializers.CharField(max_length=model_max_length(BehavioralEventDefinition, "name")),
        required=False, allow_null=True, default=list, max_length=EVENT_ATTRIBUTES_MAX)
