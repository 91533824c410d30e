"""/v2/requests — PII deletion requests in the source platform's shapes (catalogue resource "Requests", data).

The till (or API client) acts as a system caller of the privacy app: its access group decided that it may
use the resource; the privacy app still applies the org's settings and maker-checker (a caller never
approves a request it raised itself).
"""

from rest_framework import serializers
from rest_framework.response import Response

from accessadmin.api.base import validated
from accessadmin.api.fields import Input
from accessadmin.errors import AppError, CoreErrorCode, InvalidInput
from privacy import selectors as privacy_selectors
from privacy import services as privacy
from privacy.models import COMMENTS_MAX_LENGTH, IdentifierType, Source, Status

from . import openapi as doc
from .errors import TillApiErrorCode
from .views import DATA, OrgTillApiView

DECISIONS = {Status.APPROVED: privacy.request_approve, Status.CANCELLED: privacy.request_cancel}


class TillCustomerIdentificationInfo(Input):
    source = serializers.CharField(max_length=20, help_text="INSTORE (the only source a till raises from).")
    identifierType = serializers.ChoiceField(choices=IdentifierType.values)  # noqa: N815
    identifierValue = serializers.CharField(max_length=254)  # noqa: N815

    def validate_source(self, value):
        if value != "INSTORE":
            raise serializers.ValidationError('"INSTORE" is the only source.')
        return value


class TillRequestCreateInput(Input):
    type = serializers.ChoiceField(choices=["CUSTOMER"])
    baseType = serializers.ChoiceField(choices=["DELETE"])  # noqa: N815
    comments = serializers.CharField(required=False, allow_blank=True, default="", max_length=COMMENTS_MAX_LENGTH)
    customerIdentificationInfo = TillCustomerIdentificationInfo()  # noqa: N815


class TillRequestUpdateItem(Input):
    type = serializers.ChoiceField(choices=["CUSTOMER"])
    baseType = serializers.ChoiceField(choices=["DELETE"])  # noqa: N815
    id = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(choices=[Status.APPROVED, Status.REJECTED, Status.CANCELLED])
    comments = serializers.CharField(required=False, allow_blank=True, default="", max_length=COMMENTS_MAX_LENGTH)


class TillRequestCreated(serializers.Serializer):
    createdId = serializers.IntegerField()  # noqa: N815
    warnings = serializers.ListField(child=serializers.DictField())


class TillRequestUpdateResult(serializers.Serializer):
    entityId = serializers.IntegerField()  # noqa: N815
    result = serializers.ChoiceField(choices=Status.values, help_text="The request's status after the change.")
    warnings = serializers.ListField(child=serializers.DictField())


class TillRequestUpdated(serializers.Serializer):
    response = TillRequestUpdateResult(many=True)
    totalCount = serializers.IntegerField()  # noqa: N815
    failureCount = serializers.IntegerField()  # noqa: N815


class TillRequestStatus(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    baseType = serializers.CharField()  # noqa: N815
    status = serializers.ChoiceField(choices=Status.values)
    customerId = serializers.IntegerField()  # noqa: N815
    comments = serializers.CharField()
    reason = serializers.CharField()
    createdOn = serializers.DateTimeField()  # noqa: N815
    dueOn = serializers.DateTimeField(allow_null=True)  # noqa: N815
    completedOn = serializers.DateTimeField(allow_null=True)  # noqa: N815


def _named(view_method):
    """Adds the error's stable code (`customer_not_found`, `own_request`, …) at the top of the till API's
    error body, beside the numeric code of `errors`: the till surface otherwise carries only the number."""
    def wrapped(self, request, *args, **kwargs):
        try:
            return view_method(self, request, *args, **kwargs)
        except AppError as err:
            err.extra = {**err.extra, "code": str(err.code)}
            raise

    wrapped.__name__, wrapped.__doc__ = view_method.__name__, view_method.__doc__
    return wrapped


def _principal(caller) -> privacy.Principal:
    return privacy.Principal(key=f"{caller.kind}:{caller.pk}", label=f"{caller.kind} {caller.name}")


def _status_payload(req) -> dict:
    return {"id": req.pk, "type": "CUSTOMER", "baseType": "DELETE", "status": req.status,
            "customerId": req.customer_id, "comments": req.comments, "reason": req.reason,
            "createdOn": req.created_at, "dueOn": req.due_at, "completedOn": req.completed_at}


class RequestsView(OrgTillApiView):
    resource, api = "request", DATA

    @doc.operation("till_requests_create", request=TillRequestCreateInput, response=TillRequestCreated)
    @_named
    def post(self, request):
        data = self.body(TillRequestCreateInput)
        info = data["customerIdentificationInfo"]
        raised = privacy.request_raise(actor=_principal(self.caller), org=self.org, source=Source.INSTORE,
                                       identifier_type=info["identifierType"],
                                       identifier_value=info["identifierValue"], comments=data["comments"])
        return Response({"createdId": raised.request.pk, "warnings": raised.warnings})

    @doc.operation("till_requests_update", request=TillRequestUpdateItem(many=True), response=TillRequestUpdated)
    @_named
    def put(self, request):
        items = request.data
        if not isinstance(items, list) or len(items) != 1:
            raise InvalidInput("Send a list of exactly one request: statuses are changed one request at a time.",
                               code=TillApiErrorCode.ONE_REQUEST_ONLY, fields={"body": ["A list of exactly one item."]})
        if not isinstance(items[0], dict):
            raise InvalidInput("Each item must be a JSON object.", code=CoreErrorCode.INVALID_BODY)
        item = validated(TillRequestUpdateItem, items[0])
        who = _principal(self.caller)
        if item["status"] == Status.REJECTED:
            req = privacy.request_reject(actor=who, org=self.org, request_id=item["id"], reason=item["comments"])
        else:
            req = DECISIONS[item["status"]](actor=who, org=self.org, request_id=item["id"],
                                            comments=item["comments"])
        return Response({"response": [{"entityId": req.pk, "result": req.status, "warnings": []}],
                         "totalCount": 1, "failureCount": 0})


class RequestView(OrgTillApiView):
    resource, api = "request", DATA

    @doc.operation("till_request_get", response=TillRequestStatus, parameters=[doc.REQUEST_ID])
    @_named
    def get(self, request, request_id):
        return Response(_status_payload(privacy_selectors.request_get(actor=None, org=self.org,
                                                                      request_id=request_id)))
