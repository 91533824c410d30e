"""Input serializers check shape; output is built by plain functions from prefetched rows."""

from datetime import UTC

from rest_framework import serializers

from accessadmin import limits
from accessadmin.api.fields import Input, model_max_length
from accessadmin.api.serializers import RefField

from ..models import Catalog, PriceGroup, SecurityCriterion
from ..resources import ACTIONS, RESOURCES, Resource


class ConstraintInput(Input):
    id = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    constraintConfig = RefField(required=False)
    values = serializers.ListField(child=serializers.CharField(max_length=model_max_length(Catalog, "code")),
                                   required=False, default=list)


class CriterionInput(Input):
    echoed_fields = frozenset({"links", "lastModified"})

    id = serializers.CharField(required=False, allow_blank=True, max_length=model_max_length(SecurityCriterion, "code"))
    repositoryId = serializers.CharField(required=False, allow_blank=True,
                                         max_length=model_max_length(SecurityCriterion, "code"))
    name = serializers.CharField(required=False, max_length=model_max_length(SecurityCriterion, "name"))
    description = serializers.CharField(required=False, allow_blank=True, max_length=limits.DESCRIPTION_MAX_LENGTH)
    securityCriteriaResource = RefField(required=False)
    actions = serializers.ListField(child=serializers.CharField(), required=False)
    constraintType = serializers.CharField(required=False)
    constraints = ConstraintInput(many=True, required=False)
    roles = serializers.ListField(child=RefField(), required=False)


class AssetInput(Input):
    echoed_fields = frozenset({"lastModified", "allowedActions"})

    id = serializers.CharField(required=False, max_length=model_max_length(Catalog, "code"))
    repositoryId = serializers.CharField(required=False, max_length=model_max_length(Catalog, "code"))
    displayName = serializers.CharField(required=False, allow_blank=True,
                                        max_length=model_max_length(Catalog, "display_name"))
    description = serializers.CharField(required=False, allow_blank=True, max_length=limits.DESCRIPTION_MAX_LENGTH)
    active = serializers.BooleanField(required=False)


class PriceGroupInput(AssetInput):
    currency = serializers.CharField(required=False, max_length=model_max_length(PriceGroup, "currency"))


def constraints_from_input(items) -> list[dict] | None:
    if items is None:
        return None
    return [{"id": c.get("id") or None, "config": c.get("constraintConfig"), "values": c.get("values", [])}
            for c in items]


def timestamp(dt) -> str:
    """Returns `dt` as the platform writes it: 2021-03-08T19:52:43.752Z."""
    dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def resource_ref(resource) -> dict:
    info = RESOURCES[Resource(resource)]
    return {"name": info.name, "id": str(info.id)}


def resource_payload(resource: Resource) -> dict:
    info = RESOURCES[resource]
    return {
        "constraintConfigurations": [{
            "constrainingAssetType": info.asset_type,
            "displayName": info.config_display_name,
            "constrainingAssetDisplayNameProperty": "displayName",
            "id": info.config_id,
            "constrainingAssetGroup": info.asset_group,
        }],
        "name": info.name,
        "id": resource.value,
    }


def role_ref(role) -> dict:
    return {"id": role.code, "repositoryId": role.code, "name": role.name}


def criterion_ref(criterion) -> dict:
    """The short form shown on a role."""
    return {"id": criterion.code, "repositoryId": criterion.code, "name": criterion.name,
            "constraintType": criterion.constraint_type,
            "securityCriteriaResource": resource_ref(criterion.resource)}


def criterion_payload(criterion, *, self_href: str) -> dict:
    """The platform's response shape (constraints and roles must be prefetched)."""
    return {
        "constraintType": criterion.constraint_type,
        "roles": [role_ref(r) for r in criterion.roles.all()],
        "name": criterion.name,
        "description": criterion.description,
        "links": [{"rel": "self", "href": self_href}],
        "securityCriteriaResource": resource_ref(criterion.resource),
        "lastModified": timestamp(criterion.updated_at),
        "id": criterion.code,
        "repositoryId": criterion.code,
        "constraints": [{"values": list(c.values), "constraintConfig": {"id": c.config}, "id": c.public_id}
                        for c in criterion.constraints.all()],
        "actions": [a.value for a in ACTIONS],
    }


def asset_payload(asset, *, allowed_actions: list[str]) -> dict:
    data = {
        "id": asset.code,
        "repositoryId": asset.code,
        "displayName": asset.display_name,
        "description": asset.description,
        "active": asset.active,
        "lastModified": timestamp(asset.updated_at),
        # What the caller's security criteria let them do with this asset (reads are never limited).
        "allowedActions": allowed_actions,
    }
    if hasattr(asset, "currency"):
        data["currency"] = asset.currency
    return data


def explain_payload(subject, decision, entries, *, exists: bool) -> dict:
    from accessadmin.privileges import Privilege

    def ref(e):
        return {"role": {"id": e.role_code, "name": e.role_name},
                "criterion": {"id": e.criterion_code, "name": e.criterion_name},
                "constraintType": e.constraint_type}

    return {
        "user": subject.username,
        "resource": resource_ref(decision.resource),
        "item": {"id": decision.item_id, "exists": exists},
        "action": decision.action.value,
        "allowed": decision.allowed,
        "decidedBy": decision.step.value,
        "reason": decision.reason,
        "privilege": {"required": [Privilege.CATALOG.value, Privilege.ADMIN.value], "held": decision.privilege},
        "criteria": [{**ref(x.entry), "values": sorted(x.entry.values), "namesItem": x.names_item,
                      "decisive": x.decisive} for x in entries],
        "decisive": [ref(e) for e in decision.decisive],
    }
