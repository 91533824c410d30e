"""Response bodies of the store, till, API client, enforcement-settings and usage API (/api/v1/) for the
OpenAPI schema; they describe what the payload functions of stores.api and stores.tills.api return."""

from rest_framework import serializers

from accessadmin.api.schema import page_of
from accessadmin.models import Org
from groups.api.openapi import Cell

from ..models import UsageRecord


class GroupRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EffectiveGroup(GroupRef):
    source = serializers.ChoiceField(choices=["store", "org_default"])


class Store(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    city = serializers.CharField(allow_blank=True)
    access_group = GroupRef(allow_null=True, help_text="The store's own group; null: the org's default applies.")
    effective_access_group = EffectiveGroup()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


StorePage = page_of(Store, "StorePage")


class StoreManagers(serializers.Serializer):
    store = serializers.CharField()
    managers = serializers.ListField(child=serializers.CharField(), help_text="Usernames.")


class Till(serializers.Serializer):
    code = serializers.CharField()
    store = serializers.CharField()
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    secret_rotated_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)


class TillWithSecret(Till):
    secret = serializers.CharField(help_text="Shown once: keep it, it cannot be read again.")


class TillList(serializers.Serializer):
    results = Till(many=True)


TillPage = page_of(Till, "TillPage")


class GroupWithKind(GroupRef):
    kind = serializers.ChoiceField(choices=["builtin", "custom"])


class EffectivePermissions(serializers.Serializer):
    till = serializers.CharField()
    store = serializers.CharField()
    active = serializers.BooleanField()
    access_group = GroupWithKind(help_text="The group that applies to the till's store.")
    source = serializers.ChoiceField(choices=["store", "org_default"])
    why = serializers.CharField()
    grants_all = serializers.BooleanField()
    permissions = Cell(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class ApiClient(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    client_id = serializers.CharField()
    access_group = GroupRef()
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)


class ApiClientWithSecret(ApiClient):
    client_secret = serializers.CharField(help_text="Shown once: keep it, it cannot be read again.")


ApiClientPage = page_of(ApiClient, "ApiClientPage")


class OrgSettings(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    basic_auth_enabled = serializers.BooleanField()
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
