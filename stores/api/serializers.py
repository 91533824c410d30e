"""Stores, tills and API clients API: input serializers check shape, output is built by functions."""

from rest_framework import serializers

from accessadmin import limits
from accessadmin.api.fields import Input, model_max_length
from accessadmin.models import User

from ..models import ApiClient, Store, Till
from ..selectors import effective_group


class StoreCreateInput(Input):
    code = serializers.CharField(max_length=model_max_length(Store, "code"))
    name = serializers.CharField(max_length=model_max_length(Store, "name"))
    city = serializers.CharField(max_length=model_max_length(Store, "city"), required=False, allow_blank=True,
                                 default="")
    access_group = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                            max_value=limits.BIGINT_MAX)


class StoreUpdateInput(Input):
    name = serializers.CharField(max_length=model_max_length(Store, "name"), required=False)
    city = serializers.CharField(max_length=model_max_length(Store, "city"), required=False, allow_blank=True)
    access_group = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=limits.BIGINT_MAX)


class ManagerInput(Input):
    user = serializers.CharField(max_length=model_max_length(User, "username"))


def _group_ref(group) -> dict | None:
    return {"id": group.pk, "name": group.name} if group is not None else None


def store_payload(store, default_group) -> dict:
    """`default_group` is the org's default, read once per request (never per row)."""
    effective = effective_group(store, default=default_group)
    return {
        "code": store.code,
        "name": store.name,
        "city": store.city,
        "access_group": _group_ref(store.access_group),
        "effective_access_group": {**_group_ref(effective.group), "source": effective.source},
        "created_at": store.created_at,
        "updated_at": store.updated_at,
    }


class TillCreateInput(Input):
    code = serializers.CharField(max_length=model_max_length(Till, "code"), required=False, allow_blank=True,
                                 default="")


class ApiClientInput(Input):
    name = serializers.CharField(max_length=model_max_length(ApiClient, "name"))
    access_group = serializers.IntegerField(min_value=1, max_value=limits.BIGINT_MAX)


def till_payload(till, secret: str | None = None) -> dict:
    body = {"code": till.code, "store": till.store.code, "active": till.is_active, "created_at": till.created_at,
            "secret_rotated_at": till.secret_rotated_at, "last_used_at": till.last_used_at,
            "basic_auth": bool(till.secret_hash), "oauth_client": till.oauth_application_id is not None,
            "basic_last_used_at": till.basic_last_used_at, "oauth_last_used_at": till.oauth_last_used_at}
    if secret is not None:
        body["secret"] = secret
    return body


def client_payload(client, secret: str | None = None) -> dict:
    body = {"id": client.pk, "name": client.name, "client_id": client.client_id,
            "access_group": {"id": client.access_group_id, "name": client.access_group.name},
            "active": client.is_active, "created_at": client.created_at, "revoked_at": client.revoked_at}
    if secret is not None:
        body["client_secret"] = secret
    return body
