"""Enforcement API: input serializers check shape, output is built by functions."""

from rest_framework import serializers

from accessadmin import limits
from accessadmin.api.fields import Input, model_max_length
from groups.models import AccessGroup


class OrgSettingsInput(Input):
    basic_auth_enabled = serializers.BooleanField(required=False)
    basic_auth_for_new_tills = serializers.BooleanField(required=False)
    enforcement_mode = serializers.CharField(required=False)


class SuggestionInput(Input):
    name = serializers.CharField(max_length=model_max_length(AccessGroup, "name"))  # the group it creates
    days = serializers.IntegerField(min_value=1, max_value=365, required=False, default=30)
    description = serializers.CharField(required=False, allow_blank=True, default="",
                                        max_length=limits.DESCRIPTION_MAX_LENGTH)
    allocate = serializers.BooleanField(required=False, default=False)


def org_payload(org) -> dict:
    return {"code": org.code, "name": org.name, "basic_auth_enabled": org.basic_auth_enabled,
            "basic_auth_for_new_tills": org.basic_auth_for_new_tills, "enforcement_mode": org.enforcement_mode}
