"""Response bodies of the enforcement-settings, usage and suggestion API (/api/v1/) for the OpenAPI
schema; they describe what enforcement.api returns."""

from rest_framework import serializers

from accessadmin.models import Org
from groups.api.openapi import Cell

from ..models import UsageRecord


class OrgSettings(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    basic_auth_enabled = serializers.BooleanField()
    basic_auth_for_new_tills = serializers.BooleanField(help_text="New tills get a Basic secret; false: OAuth2 only.")
    enforcement_mode = serializers.ChoiceField(choices=Org.EnforcementMode.values)


class UsageRow(serializers.Serializer):
    caller_kind = serializers.ChoiceField(choices=UsageRecord.CallerKind.values)
    caller = serializers.CharField()
    store_code = serializers.CharField(allow_blank=True)
    resource = serializers.CharField(allow_blank=True)
    api = serializers.CharField(allow_blank=True)
    method = serializers.CharField()
    outcome = serializers.ChoiceField(choices=UsageRecord.Outcome.values)
    access_group = serializers.CharField(allow_blank=True)
    last_seen = serializers.DateTimeField()
    count = serializers.IntegerField()


class UsageList(serializers.Serializer):
    results = UsageRow(many=True)


class SuggestedGroup(serializers.Serializer):
    store = serializers.CharField()
    days = serializers.IntegerField()
    permissions = Cell(many=True)


class SuggestedGroupCreated(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    allocated = serializers.BooleanField()
