"""Response bodies of the catalog, price group and security criteria API (/ccadmin/v1/) for the OpenAPI
schema; they describe what criteria.api.serializers' payload functions return."""

from rest_framework import serializers

from accessadmin.api.schema import Link, offset_page_of

from ..models import SecurityCriterion
from ..policies import Step
from ..resources import ACTIONS

ACTION_VALUES = [a.value for a in ACTIONS]
CONSTRAINT_TYPES = SecurityCriterion.ConstraintType.values


class Ref(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class Catalog(serializers.Serializer):
    id = serializers.CharField()
    repositoryId = serializers.CharField()
    displayName = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    active = serializers.BooleanField()
    lastModified = serializers.CharField(help_text="UTC, e.g. 2021-03-08T19:52:43.752Z.")
    allowedActions = serializers.ListField(child=serializers.ChoiceField(choices=["update", "delete"]),
                                           help_text="What the caller's security criteria let it do with the item.")


class PriceListGroup(Catalog):
    currency = serializers.CharField()


CatalogList = offset_page_of(Catalog, "CatalogList")
PriceListGroupList = offset_page_of(PriceListGroup, "PriceListGroupList")


class ExplainRef(serializers.Serializer):
    role = Ref()
    criterion = Ref()
    constraintType = serializers.ChoiceField(choices=CONSTRAINT_TYPES)


class ExplainCriterion(ExplainRef):
    values = serializers.ListField(child=serializers.CharField())
    namesItem = serializers.BooleanField()
    decisive = serializers.BooleanField()


class ExplainItem(serializers.Serializer):
    id = serializers.CharField()
    exists = serializers.BooleanField()


class ExplainPrivilege(serializers.Serializer):
    required = serializers.ListField(child=serializers.CharField())
    held = serializers.CharField(allow_null=True)


class Explanation(serializers.Serializer):
    user = serializers.CharField()
    resource = Ref()
    item = ExplainItem()
    action = serializers.ChoiceField(choices=ACTION_VALUES)
    allowed = serializers.BooleanField()
    decidedBy = serializers.ChoiceField(choices=[s.value for s in Step])
    reason = serializers.CharField()
    privilege = ExplainPrivilege()
    criteria = ExplainCriterion(many=True)
    decisive = ExplainRef(many=True)


class CriterionRoleRef(serializers.Serializer):
    id = serializers.CharField()
    repositoryId = serializers.CharField()
    name = serializers.CharField()


class ConstraintConfigRef(serializers.Serializer):
    id = serializers.CharField()


class Constraint(serializers.Serializer):
    values = serializers.ListField(child=serializers.CharField())
    constraintConfig = ConstraintConfigRef()
    id = serializers.CharField()


class SecurityCriterionOut(serializers.Serializer):
    constraintType = serializers.ChoiceField(choices=CONSTRAINT_TYPES)
    roles = CriterionRoleRef(many=True)
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    links = Link(many=True)
    securityCriteriaResource = Ref()
    lastModified = serializers.CharField()
    id = serializers.CharField()
    repositoryId = serializers.CharField()
    constraints = Constraint(many=True)
    actions = serializers.ListField(child=serializers.CharField(), help_text="Always create, update and delete.")

    class Meta:
        ref_name = "SecurityCriterion"


SecurityCriterionList = offset_page_of(SecurityCriterionOut, "SecurityCriterionList")


class ConstraintConfiguration(serializers.Serializer):
    constrainingAssetType = serializers.CharField()
    displayName = serializers.CharField()
    constrainingAssetDisplayNameProperty = serializers.CharField()
    id = serializers.CharField()
    constrainingAssetGroup = serializers.CharField()


class SecurityCriteriaResource(serializers.Serializer):
    constraintConfigurations = ConstraintConfiguration(many=True)
    name = serializers.CharField()
    id = serializers.CharField()


SecurityCriteriaResourceList = offset_page_of(SecurityCriteriaResource, "SecurityCriteriaResourceList")


class NamedRef(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class CriterionOnRole(serializers.Serializer):
    """A security criterion as a role shows it (its `securityCriteria` in /ccadmin/v1/adminRoles)."""

    id = serializers.CharField()
    repositoryId = serializers.CharField()
    name = serializers.CharField()
    constraintType = serializers.ChoiceField(choices=["grant", "deny", "grantNone"])
    securityCriteriaResource = NamedRef()
