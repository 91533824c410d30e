"""Group API: input serializers check shape, output is built by functions from prefetched rows."""

from rest_framework import serializers

from accessadmin import limits
from accessadmin.api.fields import Input, model_max_length

from .. import cells as cellsmod
from ..models import AccessGroup

PLATFORM = "platform"


class CellInput(Input):
    resource = serializers.CharField()
    api = serializers.ChoiceField(choices=cellsmod.APIS)
    read = serializers.BooleanField(default=False)
    write = serializers.BooleanField(default=False)


class GroupInput(Input):
    name = serializers.CharField(max_length=model_max_length(AccessGroup, "name"), required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=limits.DESCRIPTION_MAX_LENGTH)
    # Checked by groups.cells.parse (stable error codes), so kept loose here.
    permissions = serializers.JSONField(required=False)


class StoresInput(Input):
    stores = serializers.ListField(child=serializers.CharField(max_length=50), allow_empty=False, max_length=100_000)


class DeactivateInput(Input):
    # Optional: move the group's stores to this group first, in the same step.
    move_to = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=limits.BIGINT_MAX)


class DefaultGroupInput(Input):
    access_group = serializers.IntegerField(min_value=1, max_value=limits.BIGINT_MAX)


def _who(user, group) -> str | None:
    if user is not None:
        return user.username
    return PLATFORM if group.is_builtin else None


def group_payload(group, resources, *, warnings=None) -> dict:
    body = {
        "id": group.pk,
        "name": group.name,
        "description": group.description,
        "kind": group.kind,
        "status": group.status,
        "is_default": bool(getattr(group, "is_default", False)),
        "created_at": group.created_at,
        "created_by": _who(group.created_by, group),
        "updated_at": group.updated_at,
        "updated_by": _who(group.updated_by, group),
        "store_count": getattr(group, "store_count", 0),
        "permissions": cellsmod.payload(cellsmod.of_group(group, resources), resources),
    }
    if warnings is not None:
        body["warnings"] = warnings
    return body


def resource_payload(resource) -> dict:
    return {"key": resource.key, "name": resource.name, "description": resource.description,
            "data_paths": resource.data_paths, "config_paths": resource.config_paths}


def event_payload(event) -> dict:
    return {"id": event.pk, "at": event.created_at, "actor": event.actor_repr, "action": event.action,
            "before": event.before, "after": event.after}
