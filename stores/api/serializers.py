from rest_framework import serializers

from accessadmin import limits
from accessadmin.api.fields import Input


class StoreCreateInput(Input):
    code = serializers.CharField(max_length=50)
    name = serializers.CharField(max_length=200)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    access_group = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                            max_value=limits.BIGINT_MAX)


class StoreUpdateInput(Input):
    name = serializers.CharField(max_length=200, required=False)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    access_group = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=limits.BIGINT_MAX)


class ManagerInput(Input):
    user = serializers.CharField(max_length=150)


def _group_ref(group) -> dict | None:
    return {"id": group.pk, "name": group.name} if group is not None else None


def store_payload(store, default_group) -> dict:
    """`default_group` is the org's default, read once per request (never per row)."""
    effective = store.access_group or default_group
    return {
        "code": store.code,
        "name": store.name,
        "city": store.city,
        "access_group": _group_ref(store.access_group),
        "effective_access_group": {**_group_ref(effective),
                                   "source": "store" if store.access_group_id else "org_default"},
        "created_at": store.created_at,
        "updated_at": store.updated_at,
    }
