"""The `securityCriteria` of a role in /ccadmin/v1/adminRoles: a field the criteria app adds to the core's
role resource (accessadmin.registry.RoleField), registered in CriteriaConfig.ready()."""

from rest_framework import serializers

from accessadmin.api.serializers import RefField
from accessadmin.registry import RoleField

from .. import selectors, services
from .openapi import CriterionOnRole
from .serializers import criterion_ref


def _input_field():
    return serializers.ListField(child=RefField(), required=False)


def _output_field():
    return CriterionOnRole(many=True)


def _payload(role) -> list[dict]:
    return [criterion_ref(c) for c in role.security_criteria.all()]


def _apply(*, actor, role, value) -> None:
    services.role_set_criteria(actor=actor, role=role, criteria=value)


SECURITY_CRITERIA = RoleField(name="securityCriteria", input_field=_input_field, output_field=_output_field,
                              payload=_payload, prefetch=selectors.role_criteria_prefetch, apply=_apply)
