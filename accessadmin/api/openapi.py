"""Response bodies of the core API (login, me, users, roles, access rights) for the OpenAPI schema.

They describe what accessadmin.api.serializers' payload functions return; `make fuzz` holds the two together.
`Role` and `RoleList` include the fields other apps add to a role, so they are built on first use (after
every app's ready()), like accessadmin.api.serializers.RoleInput.
"""

from functools import cache

from rest_framework import serializers

from .. import registry
from .schema import offset_page_of, page_of


class LoginToken(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.ChoiceField(choices=["bearer"])
    expires_in = serializers.IntegerField(help_text="Seconds until the token expires.")


class LogoutResult(serializers.Serializer):
    result = serializers.BooleanField()


class OrgRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RoleRef(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class Me(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    first_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)
    is_platform_staff = serializers.BooleanField()
    org = OrgRef(allow_null=True)
    roles = RoleRef(many=True)
    access_rights = serializers.ListField(child=serializers.CharField())
    privileges = serializers.ListField(child=serializers.CharField())


class User(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    first_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)
    is_active = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.CharField(), help_text="Role ids.")
    last_login = serializers.DateTimeField(allow_null=True)
    date_joined = serializers.DateTimeField()


UserPage = page_of(User, "UserPage")


class AccessRight(serializers.Serializer):
    id = serializers.CharField()
    repositoryId = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    type = serializers.ChoiceField(choices=["generic", "privilege"])
    builtIn = serializers.BooleanField()


class RoleBase(serializers.Serializer):
    id = serializers.CharField()
    repositoryId = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    accessRights = AccessRight(many=True)


@cache
def _role() -> type[serializers.Serializer]:
    fields = {field.name: field.output_field() for field in registry.role_fields()}
    return type(RoleBase)("Role", (RoleBase,), fields)


@cache
def _role_list() -> type[serializers.Serializer]:
    return offset_page_of(_role(), "RoleList")


def __getattr__(name: str):
    if name == "Role":
        return _role()
    if name == "RoleList":
        return _role_list()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


AccessRightList = offset_page_of(AccessRight, "AccessRightList")
