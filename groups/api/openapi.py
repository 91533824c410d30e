"""Response bodies of the access group API (/api/v1/) for the OpenAPI schema; they describe what
groups.api.serializers' payload functions return."""

from rest_framework import serializers

from accessadmin.api.schema import page_of

from ..cells import APIS


class Cell(serializers.Serializer):
    resource = serializers.CharField(help_text="A resource key of the catalogue (GET /api/v1/resources/).")
    api = serializers.ChoiceField(choices=list(APIS))
    read = serializers.BooleanField()
    write = serializers.BooleanField()


class AccessGroup(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=["builtin", "custom"])
    status = serializers.ChoiceField(choices=["active", "inactive"])
    is_default = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(allow_null=True, help_text='A username, "platform" for built-in groups.')
    updated_at = serializers.DateTimeField()
    updated_by = serializers.CharField(allow_null=True)
    store_count = serializers.IntegerField()
    permissions = Cell(many=True, help_text="The cells that grant something.")
    warnings = serializers.ListField(child=serializers.CharField(), required=False,
                                     help_text="After a write: cells that may write without reading.")


AccessGroupPage = page_of(AccessGroup, "AccessGroupPage")


class Resource(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    data_paths = serializers.ListField(child=serializers.CharField())
    config_paths = serializers.ListField(child=serializers.CharField())


class ResourceList(serializers.Serializer):
    results = Resource(many=True)


class GroupDiff(serializers.Serializer):
    added = serializers.ListField(child=serializers.CharField(), help_text='"resource/api/permission" strings.')
    removed = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())


class GroupEvent(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_blank=True)
    action = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


GroupEventPage = page_of(GroupEvent, "GroupEventPage")


class DefaultGroup(serializers.Serializer):
    access_group = AccessGroup()
    inheriting_stores = serializers.IntegerField(help_text="Stores without a group of their own.")
