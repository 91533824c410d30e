"""Response bodies of the store, allocation, till and API client API (/api/v1/) for the OpenAPI schema;
they describe what the payload functions of stores.api.serializers return."""

from rest_framework import serializers

from accessadmin.api.schema import page_of
from groups.api.openapi import AccessGroup, Cell


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
    basic_auth = serializers.BooleanField(help_text="The till has a Basic secret.")
    oauth_client = serializers.BooleanField(help_text="The till holds OAuth2 client credentials.")
    basic_last_used_at = serializers.DateTimeField(allow_null=True, help_text="Last seen with Basic auth.")
    oauth_last_used_at = serializers.DateTimeField(allow_null=True, help_text="Last seen with an OAuth2 token.")


class TillWithSecret(Till):
    secret = serializers.CharField(help_text="Shown once: keep it, it cannot be read again.")


class TillCreated(Till):
    secret = serializers.CharField(required=False, help_text="The Basic secret, shown once; absent when the org "
                                                             "gives new tills OAuth2 credentials only.")
    client_id = serializers.CharField(required=False, help_text="OAuth2 client id (org without Basic for new tills).")
    client_secret = serializers.CharField(required=False, help_text="OAuth2 client secret, shown once.")


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


class Allocated(serializers.Serializer):
    allocated = serializers.IntegerField(help_text="Stores moved to the group.")
    group = AccessGroup()


class Unallocated(serializers.Serializer):
    unallocated = serializers.IntegerField(help_text="Stores moved back to the org's default group.")
    group = AccessGroup()
