"""Input serializers check shape; output is built by plain functions (no N+1: callers prefetch).

A role also carries fields other apps own (accessadmin.registry.RoleField: the criteria app's
securityCriteria). `RoleInput` is therefore built on first use, once every app's ready() has registered
its fields (PEP 562 module __getattr__), never while apps are still loading.
"""

from functools import cache

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import limits, policies, registry
from ..identity import access_right_codes
from ..models import AccessRight, Role, User
from .fields import Input, model_max_length


@extend_schema_field({"oneOf": [{"type": "string"},
                                {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}]})
class RefField(serializers.Field):
    """Accepts a reference to a role, access right, criterion... as "someId" or {"id": "someId"}
    (also {"repositoryId": ...}), the two forms the commerce admin API uses."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("id") or data.get("repositoryId")
        if not isinstance(data, str) or not data.strip():
            raise serializers.ValidationError("Expected an id or an object with an id.")
        return data.strip()

    def to_representation(self, value):
        return value


class LoginInput(serializers.Serializer):
    grant_type = serializers.CharField()
    username = serializers.CharField(required=False, allow_blank=True, default="")
    password = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)


class UserCreateInput(Input):
    username = serializers.CharField(max_length=model_max_length(User, "username"))
    password = serializers.CharField(trim_whitespace=False, write_only=True)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    first_name = serializers.CharField(required=False, allow_blank=True, default="",
                                       max_length=model_max_length(User, "first_name"))
    last_name = serializers.CharField(required=False, allow_blank=True, default="",
                                      max_length=model_max_length(User, "last_name"))
    roles = serializers.ListField(child=RefField(), required=False, default=list)


class UserUpdateInput(Input):
    password = serializers.CharField(trim_whitespace=False, required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    first_name = serializers.CharField(required=False, allow_blank=True,
                                       max_length=model_max_length(User, "first_name"))
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=model_max_length(User, "last_name"))
    is_active = serializers.BooleanField(required=False)
    roles = serializers.ListField(child=RefField(), required=False)


class RoleInputBase(Input):
    """The core's fields of a role's input; RoleInput adds the registered ones."""

    id = serializers.CharField(required=False, allow_blank=True, max_length=model_max_length(Role, "code"))
    repositoryId = serializers.CharField(required=False, allow_blank=True, max_length=model_max_length(Role, "code"))
    name = serializers.CharField(required=False, max_length=model_max_length(Role, "name"))
    description = serializers.CharField(required=False, allow_blank=True, max_length=limits.DESCRIPTION_MAX_LENGTH)
    accessRights = serializers.ListField(child=RefField(), required=False)


@cache
def role_input() -> type[serializers.Serializer]:
    """Returns RoleInput: RoleInputBase plus the input field of every registered role field."""
    fields = {field.name: field.input_field() for field in registry.role_fields()}
    return type(RoleInputBase)("RoleInput", (RoleInputBase,), fields)


def __getattr__(name: str):
    if name == "RoleInput":
        return role_input()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class AccessRightInput(Input):
    echoed_fields = frozenset({"repositoryId", "builtIn"})

    id = serializers.CharField(required=False, max_length=model_max_length(AccessRight, "code"))
    name = serializers.CharField(required=False, max_length=model_max_length(AccessRight, "name"))
    description = serializers.CharField(required=False, allow_blank=True, max_length=limits.DESCRIPTION_MAX_LENGTH)
    type = serializers.ChoiceField(choices=["generic", "privilege"], required=False, default="generic")


def user_payload(user) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": user.is_active,
        "roles": [r.code for r in user.roles.all()],
        "last_login": user.last_login,
        "date_joined": user.date_joined,
    }


def access_right_payload(ar) -> dict:
    return {"id": ar.code, "repositoryId": ar.code, "name": ar.name, "description": ar.description,
            "type": ar.type, "builtIn": ar.is_builtin}


def role_payload(role) -> dict:
    """The role with its access rights and every registered role field (rows prefetched by the selectors)."""
    body = {
        "id": role.code,
        "repositoryId": role.code,
        "name": role.name,
        "description": role.description,
        "accessRights": [access_right_payload(ar) for ar in role.access_rights.all()],
    }
    for field in registry.role_fields():
        body[field.name] = field.payload(role)
    return body


def me_payload(user, org) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_platform_staff": policies.is_platform_staff(user),
        "org": {"code": org.code, "name": org.name} if org else None,
        "roles": [{"id": r.code, "name": r.name} for r in user.roles.all()],
        "access_rights": sorted(access_right_codes(user)),
        "privileges": policies.privileges_of(user),
    }
