"""Input and output serializers of the privacy Admin API (/api/v1/privacy/)."""

from rest_framework import serializers

from accessadmin import limits
from accessadmin.api.fields import Input

from ..models import COMMENTS_MAX_LENGTH, WAITING_PERIOD_MAX_DAYS, IdentifierType, Status


class SettingsInput(Input):
    deletion_enabled = serializers.BooleanField(required=False)
    waiting_period_days = serializers.IntegerField(required=False, min_value=0, max_value=WAITING_PERIOD_MAX_DAYS)
    approval_required = serializers.BooleanField(required=False)


class SettingsOutput(serializers.Serializer):
    deletion_enabled = serializers.BooleanField()
    waiting_period_days = serializers.IntegerField()
    approval_required = serializers.BooleanField()


class RequestCreateInput(Input):
    customer_id = serializers.IntegerField(required=False, min_value=1, max_value=limits.BIGINT_MAX)
    identifierType = serializers.ChoiceField(choices=IdentifierType.values, required=False)  # noqa: N815
    identifierValue = serializers.CharField(required=False, max_length=254)  # noqa: N815
    comments = serializers.CharField(required=False, allow_blank=True, default="", max_length=COMMENTS_MAX_LENGTH)


class ReasonInput(Input):
    reason = serializers.CharField(max_length=COMMENTS_MAX_LENGTH)


class CommentsInput(Input):
    comments = serializers.CharField(required=False, allow_blank=True, default="", max_length=COMMENTS_MAX_LENGTH)


class RequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    customer_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.values)
    source = serializers.CharField()
    identifier_type = serializers.CharField()
    comments = serializers.CharField()
    raised_by = serializers.CharField()
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    failure_reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class RequestCreatedOutput(RequestOutput):
    warnings = serializers.ListField(child=serializers.DictField())


class BulkRowOutput(serializers.Serializer):
    row = serializers.IntegerField()
    request_id = serializers.IntegerField(allow_null=True)
    code = serializers.CharField(allow_null=True)


class BulkOutput(serializers.Serializer):
    rows = BulkRowOutput(many=True)
    total = serializers.IntegerField()
    filed = serializers.IntegerField(help_text="Rows that created a request.")
    existing = serializers.IntegerField(help_text="Rows whose customer had an open request (`request_exists`).")
    failed = serializers.IntegerField(help_text="Rows in error: nothing created.")


def settings_payload(s) -> dict:
    return {"deletion_enabled": s.deletion_enabled, "waiting_period_days": s.waiting_period_days,
            "approval_required": s.approval_required}


def request_payload(r) -> dict:
    return {"id": r.pk, "customer_id": r.customer_id, "status": r.status, "source": r.source,
            "identifier_type": r.identifier_type, "comments": r.comments, "raised_by": r.raised_by_repr,
            "decided_by": r.decided_by_repr or None, "decided_at": r.decided_at, "reason": r.reason,
            "due_at": r.due_at, "completed_at": r.completed_at, "failure_reason": r.failure_reason,
            "created_at": r.created_at}
