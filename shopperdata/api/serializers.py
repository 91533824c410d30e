"""Output of the shopper-data API, built by plain functions (callers load everything first: no N+1).

Input is a free-form JSON object (property ids are the org's), so services
check it; these functions only shape answers.
"""

from ..attributes import attributes_of
from ..masking import present
from ..policies import AccessPlan
from ..selectors import profile_values


def shopper_type_payload(request, shopper_type: str, properties, warnings: list[dict]) -> dict:
    """The document's shopper type shape, plus `warnings` (roles that could write what they cannot read)."""
    return {
        "id": shopper_type,
        "links": [{"rel": "self", "href": request.build_absolute_uri()}],
        "properties": {p.code: attributes_of(p) for p in properties},
        "propertiesOrder": [p.code for p in properties],
        "warnings": warnings,
    }


def profile_payload(profile, plan: AccessPlan) -> dict:
    """A profile as its viewer may see it: `id`, then every property at the top level, masked by the plan."""
    return {"id": str(profile.pk), **present(profile_values(profile), plan)}


def explainer_payload(profile, plan: AccessPlan) -> dict:
    return {
        "id": str(profile.pk),
        "user": plan.viewer.username,
        "roles": sorted(plan.viewer.roles),
        "items": plan.explain(),
    }
