"""The till API's OpenAPI description: operation summaries, parameters and response bodies of /v2/.

Request bodies are the input serializers themselves (tillapi.inputs); these response serializers
describe the answers the views build with plain functions. `make fuzz` holds the two together.
"""


from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from accessadmin import limits
from accessadmin.api.schema import body_rules
from accessadmin.models import Org

SUMMARIES = {
    "till_customers_search": "Customers with this mobile or email (the newest 50 when neither is given)",
    "till_customers_register": "Register a customer",
    "till_customer_get": "A customer",
    "till_customer_update": "Change a customer's fields",
    "till_transactions_list": "Transactions, newest first",
    "till_transactions_add": "Add a transaction; the customer earns a point per whole currency unit",
    "till_points_balance": "A customer's points balance",
    "till_points_issue": "Issue points to a customer",
    "till_points_redeem": "Redeem points, the customer's own or (groupId) their group's (409 when the balance is "
                          "too low)",
    "till_events_post": "Record a behavioral event",
    "till_stores_list": "The org's stores",
    "till_stores_create": "Create a store",
    "till_tills_list": "The org's tills",
    "till_tills_create": "Create a till; the answer carries its secret, shown once",
    "till_behavioral_events_list": "Behavioral event definitions",
    "till_behavioral_events_create": "Define a behavioral event",
    "till_org_get": "The caller's org and its enforcement settings",
    "till_requests_create": "Request the deletion of a customer's personal data",
    "till_requests_update": "Approve, reject or cancel one deletion request",
    "till_request_get": "A deletion request and its status",
}


def operation(op: str, *, request=None, response=None, status: int = 200, parameters=(), rules=None):
    """extend_schema for a till API operation: its id, summary, body (and `rules` it must also meet, see
    accessadmin.api.schema.body_rules), success answer and parameters."""
    return extend_schema(operation_id=op, summary=SUMMARIES[op], description=f"{SUMMARIES[op]}.", request=request,
                         responses={status: OpenApiResponse(response, description=SUMMARIES[op])},
                         parameters=list(parameters), tags=["till API"],
                         extensions=body_rules(**rules) if rules else None)


# A new customer needs a mobile number or an email address (an update may change any field).
MOBILE_OR_EMAIL = {"anyOf": [{"required": ["mobile"]}, {"required": ["email"]}]}


CUSTOMER_ID = OpenApiParameter("customer_id", {"type": "integer", "minimum": 1, "maximum": limits.BIGINT_MAX},
                               OpenApiParameter.PATH, description="The customer's id.")
REQUEST_ID = OpenApiParameter("request_id", {"type": "integer", "minimum": 1, "maximum": limits.BIGINT_MAX},
                              OpenApiParameter.PATH, description="The deletion request's id.")
SEARCH = [OpenApiParameter("mobile", str, description="Exact mobile number."),
          OpenApiParameter("email", str, description="Exact email address (case-insensitive).")]
BY_CUSTOMER = [OpenApiParameter("customer_id", {"type": "integer", "minimum": 1, "maximum": limits.BIGINT_MAX},
                                description="Only this customer's transactions.")]


# --- responses -----------------------------------------------------------------------------------------------


class TillCustomer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.CharField(allow_null=True)
    mobile = serializers.CharField(allow_null=True)
    first_name = serializers.CharField(allow_null=True)
    last_name = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["ACTIVE", "DELETION_PENDING", "DELETED"],
                                     help_text="DELETION_PENDING while a PII deletion request is open.")
    created_at = serializers.DateTimeField()


class TillCustomerList(serializers.Serializer):
    customers = TillCustomer(many=True)


class TillTransaction(serializers.Serializer):
    id = serializers.IntegerField()
    customer_id = serializers.IntegerField()
    bill_number = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True)
    points = serializers.IntegerField(help_text="Points the transaction earned.")
    created_at = serializers.DateTimeField()


class TillTransactionCreated(TillTransaction):
    balance = serializers.IntegerField(help_text="The customer's points balance after the transaction.")


class TillTransactionList(serializers.Serializer):
    transactions = TillTransaction(many=True)


class TillPointsBalance(serializers.Serializer):
    customer_id = serializers.IntegerField()
    balance = serializers.IntegerField()


class TillPointsRedeemed(TillPointsBalance):
    groupId = serializers.IntegerField(required=False, help_text="With groupId: balance is the group's.")  # noqa: N815


class TillEvent(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.CharField()
    customer_id = serializers.IntegerField(allow_null=True)
    attributes = serializers.DictField()
    created_at = serializers.DateTimeField()


class TillStore(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    city = serializers.CharField(allow_blank=True)
    access_group = serializers.CharField(allow_null=True, help_text="The store's own access group (null: the "
                                                                    "org's default group applies).")


class TillStoreList(serializers.Serializer):
    stores = TillStore(many=True)


class TillTill(serializers.Serializer):
    code = serializers.CharField()
    store = serializers.CharField()
    active = serializers.BooleanField()


class TillTillList(serializers.Serializer):
    tills = TillTill(many=True)


class TillTillCreated(serializers.Serializer):
    code = serializers.CharField()
    store = serializers.CharField()
    secret = serializers.CharField(help_text="Shown once: keep it, it cannot be read again.")


class TillEventDefinition(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    attributes = serializers.ListField(child=serializers.CharField())


class TillEventDefinitionList(serializers.Serializer):
    behavioral_events = TillEventDefinition(many=True)


class TillOrg(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    basic_auth_enabled = serializers.BooleanField()
    enforcement_mode = serializers.ChoiceField(choices=Org.EnforcementMode.values)

