"""Writes of this app: catalogs, price groups, security criteria and their roles.

Every function is keyword-only, checks its input and the actor's right before
writing (raising an AppError that changes nothing), and records an audit event
in the same transaction. Asset writes ask `policies.check_change`, the one
decision, so pages and API are enforced alike.
"""

import re

from django.db import IntegrityError, transaction

from accessadmin import audit, limits
from accessadmin.errors import Conflict, CoreErrorCode, Forbidden, InvalidInput
from accessadmin.models import Org, Role
from accessadmin.services import ID_RE
from accessadmin.validation import clean_name

from . import policies
from .errors import CriteriaErrorCode
from .models import Catalog, CriterionRole, PriceGroup, SecurityConstraint, SecurityCriterion
from .resources import ACTIONS, RESOURCES, Action, Resource

# The commerce platform's error codes for security criteria.
NAME_MAX_LENGTH = SecurityCriterion._meta.get_field("name").max_length
INVALID = CriteriaErrorCode.INVALID
IN_USE = CriteriaErrorCode.IN_USE
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def _invalid(message: str, field: str | None = None, code: str = INVALID) -> InvalidInput:
    return InvalidInput(message, code=code, fields={field: [message]} if field else None)


def _text(value, field: str, *, required: bool, max_length: int, code: str) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _invalid(f"{field} must be text.", field, code)
    value = value.strip()
    if required and not value:
        raise _invalid(f"{field} is required.", field, code)
    if len(value) > max_length:
        raise _invalid(f"{field} is too long ({max_length} characters at most).", field, code)
    return value


def _asset_id(value, what: str, code: str) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if not ID_RE.match(value):
        raise _invalid(f"The {what} id must be 1–100 letters, digits, dots, dashes or underscores.", "id", code)
    return value


# --- catalogs and price groups -------------------------------------------------

def asset_state(asset) -> dict:
    state = {"id": asset.code, "displayName": asset.display_name, "description": asset.description,
             "active": asset.active}
    if isinstance(asset, PriceGroup):
        state["currency"] = asset.currency
    return state


def _apply_asset_fields(asset, *, display_name, description, active, currency) -> None:
    if display_name is not None:
        asset.display_name = _text(display_name, "displayName", required=True, max_length=200,
                                   code=CoreErrorCode.INVALID)
    if description is not None:
        asset.description = _text(description, "description", required=False,
                                  max_length=limits.DESCRIPTION_MAX_LENGTH, code=CoreErrorCode.INVALID)
    if active is not None:
        asset.active = bool(active)
    if currency is not None:
        if not isinstance(asset, PriceGroup):
            raise _invalid("Only price groups have a currency.", "currency", "invalid")
        currency = (currency or "").strip().upper() if isinstance(currency, str) else ""
        if not CURRENCY_RE.match(currency):
            raise _invalid("currency must be a three-letter ISO 4217 code such as USD.", "currency", "invalid")
        asset.currency = currency


def _model(resource: Resource):
    return Catalog if resource == Resource.CATALOG else PriceGroup


@transaction.atomic
def asset_create(*, actor, org: Org, resource: Resource, code: str, display_name: str,
                 description: str = "", active: bool = True, currency: str | None = None):
    """Returns a new catalog or price group of `org`. The actor's security criteria must allow creating `code`."""
    info = RESOURCES[resource]
    code = _asset_id(code, info.singular, "invalid_id")
    policies.check_change(actor, resource, code, Action.CREATE)
    model = _model(resource)
    asset = model(org=org, code=code)
    _apply_asset_fields(asset, display_name=display_name if display_name is not None else "",
                        description=description, active=active,
                        currency=currency if resource == Resource.PRICE_GROUP else None)
    if model.objects.filter(org=org, code=code).exists():
        raise Conflict(f"A {info.singular} with id {code!r} exists.", code=CriteriaErrorCode.DUPLICATE_ID,
                       fields={"id": ["This id is taken."]})
    try:
        with transaction.atomic():
            asset.save()
    except IntegrityError:
        raise Conflict(f"A {info.singular} with id {code!r} exists.", code=CriteriaErrorCode.DUPLICATE_ID) from None
    audit.record(org=org, actor=actor, action=f"{info.asset_type}.create", target=asset, target_id=code,
                 after=asset_state(asset))
    return asset


@transaction.atomic
def asset_update(*, actor, asset, display_name: str | None = None, description: str | None = None,
                 active: bool | None = None, currency: str | None = None):
    """Returns the catalog or price group with the given fields changed, if the actor's criteria allow."""
    policies.check_change(actor, asset.resource, asset.code, Action.UPDATE)
    asset = type(asset).objects.select_for_update().get(pk=asset.pk)
    before = asset_state(asset)
    _apply_asset_fields(asset, display_name=display_name, description=description, active=active,
                        currency=currency)
    asset.save()
    audit.record(org=asset.org, actor=actor, action=f"{RESOURCES[asset.resource].asset_type}.update",
                 target=asset, target_id=asset.code, before=before, after=asset_state(asset))
    return asset


@transaction.atomic
def asset_delete(*, actor, asset) -> None:
    """Deletes the catalog or price group, if the actor's criteria allow.

    Criteria naming it keep the id: recreating the asset is governed by them again.
    """
    policies.check_change(actor, asset.resource, asset.code, Action.DELETE)
    before = asset_state(asset)
    org = asset.org
    audit.record(org=org, actor=actor, action=f"{RESOURCES[asset.resource].asset_type}.delete", target=asset,
                 target_id=asset.code, before=before)
    asset.delete()


# --- security criteria ---------------------------------------------------------

def _require_criteria_admin(actor) -> None:
    if not policies.can_manage_criteria(actor):
        raise Forbidden("Only administrators manage security criteria.")


def criterion_state(criterion: SecurityCriterion) -> dict:
    return {
        "id": criterion.code, "name": criterion.name, "description": criterion.description,
        "resource": criterion.resource, "constraintType": criterion.constraint_type,
        "constraints": [{"id": c.public_id, "values": list(c.values)} for c in criterion.constraints.all()],
        "roles": sorted(r.code for r in criterion.roles.all()),
    }


def _check_resource(resource) -> Resource:
    try:
        return Resource(resource)
    except ValueError:
        known = ", ".join(r.value for r in Resource)
        raise _invalid(f"securityCriteriaResource must be one of {known}.", "securityCriteriaResource") from None


def _check_actions(actions) -> None:
    if actions is None:
        return
    if not isinstance(actions, (list, tuple)) or sorted(actions) != sorted(a.value for a in ACTIONS):
        raise _invalid('actions must be ["create", "update", "delete"] (or omitted).', "actions")


def _check_constraint_type(value) -> str:
    if value not in SecurityCriterion.ConstraintType.values:
        raise _invalid("constraintType must be grant, deny or grantNone.", "constraintType")
    return value


def _check_constraints(resource: Resource, constraint_type: str, constraints) -> list[dict]:
    """Returns the constraints as [{"id": public id or None, "config", "values"}]."""
    if constraints is None:
        constraints = []
    if not isinstance(constraints, (list, tuple)):
        raise _invalid("constraints must be a list.", "constraints")
    config_id = RESOURCES[resource].config_id
    cleaned = []
    for c in constraints:
        if not isinstance(c, dict):
            raise _invalid("Each constraint must be an object with values.", "constraints")
        config = c.get("config") or config_id
        if config != config_id:
            raise _invalid(f"constraintConfig.id must be {config_id} for {resource.value}.", "constraints")
        values = c.get("values") or []
        if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) and ID_RE.match(v.strip())
                                                             for v in values):
            raise _invalid("constraints.values must be a list of asset ids.", "constraints")
        cleaned.append({"id": c.get("id") or None, "config": config,
                        "values": list(dict.fromkeys(v.strip() for v in values))})
    if constraint_type == SecurityCriterion.ConstraintType.GRANT_NONE:
        if any(c["values"] for c in cleaned):
            raise _invalid(f"A grantNone criterion refuses every {RESOURCES[resource].singular}: it takes no "
                           "constraints.values.", "constraints")
    elif not any(c["values"] for c in cleaned):
        raise _invalid(f"A {constraint_type} criterion must name at least one "
                       f"{RESOURCES[resource].singular} in constraints.values.", "constraints")
    return cleaned


def _resolve_roles(org: Org, codes, field: str = "roles") -> list[Role]:
    codes = list(dict.fromkeys(codes or []))
    found = {r.code: r for r in Role.objects.filter(org=org, code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise _invalid(f"Unknown role: {', '.join(missing)}.", field)
    return [found[c] for c in codes]


def _derive_code(org: Org, name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name)
    base = ("securityCriterion" + "".join(w[:1].upper() + w[1:] for w in words))[:90]
    code, n = base, 2
    while SecurityCriterion.objects.filter(org=org, code=code).exists():
        code, n = f"{base}{n}", n + 1
    return code


def _write_constraints(criterion: SecurityCriterion, constraints: list[dict]) -> None:
    """Replaces the criterion's constraints; one named by its id keeps that id."""
    existing = {c.public_id: c for c in criterion.constraints.all()}
    keep = []
    for c in constraints:
        if c["id"] is not None:
            row = existing.get(c["id"])
            if row is None:
                raise _invalid(f"Constraint {c['id']} is not one of this criterion's.", "constraints")
            row.config, row.values = c["config"], c["values"]
            row.save(update_fields=["config", "values"])
            keep.append(row.pk)
        else:
            keep.append(SecurityConstraint.objects.create(criterion=criterion, config=c["config"],
                                                          values=c["values"]).pk)
    criterion.constraints.exclude(pk__in=keep).delete()


@transaction.atomic
def criterion_create(*, actor, org: Org, name: str, resource: str, constraint_type: str,
                     constraints: list[dict] | None = None, code: str | None = None, description: str = "",
                     actions: list[str] | None = None, roles: list[str] | None = None) -> SecurityCriterion:
    """Returns a new security criterion of `org`. Its id is the key; its name is a label that others may share.

    `constraints` are dicts with `values` (asset ids) and optionally `config` (the resource's
    constraint configuration id); `roles` are role ids to give it to.
    """
    _require_criteria_admin(actor)
    name = clean_name(name, max_length=NAME_MAX_LENGTH, code=INVALID)
    description = _text(description, "description", required=False, max_length=limits.DESCRIPTION_MAX_LENGTH,
                        code=INVALID)
    resource = _check_resource(resource)
    _check_actions(actions)
    constraint_type = _check_constraint_type(constraint_type)
    cleaned = _check_constraints(resource, constraint_type, constraints)
    role_rows = _resolve_roles(org, roles)
    code = _asset_id(code, "security criterion", INVALID) if code else _derive_code(org, name)
    if SecurityCriterion.objects.filter(org=org, code=code).exists():
        raise Conflict(f"A security criterion with id {code!r} exists.", code=CriteriaErrorCode.DUPLICATE_ID,
                       fields={"id": ["This id is taken."]})
    criterion = SecurityCriterion.objects.create(org=org, code=code, name=name, description=description,
                                                 resource=resource.value, constraint_type=constraint_type)
    _write_constraints(criterion, cleaned)
    criterion.roles.set(role_rows)
    audit.record(org=org, actor=actor, action="security_criterion.create", target=criterion, target_id=code,
                 after=criterion_state(criterion))
    return criterion


@transaction.atomic
def criterion_update(*, actor, criterion: SecurityCriterion, name: str | None = None,
                     description: str | None = None, constraints: list[dict] | None = None,
                     resource: str | None = None, constraint_type: str | None = None,
                     actions: list[str] | None = None, roles: list[str] | None = None) -> SecurityCriterion:
    """Returns the criterion with name, description and/or constraints (and roles) changed.

    Resource and constraint type are fixed at creation; sending the current value is accepted
    (clients echo what they read), another value is invalid input.
    """
    _require_criteria_admin(actor)
    criterion = SecurityCriterion.objects.select_for_update().get(pk=criterion.pk)
    before = criterion_state(criterion)
    if resource is not None and resource != criterion.resource:
        raise _invalid("securityCriteriaResource cannot be changed; create another criterion.",
                       "securityCriteriaResource")
    if constraint_type is not None and constraint_type != criterion.constraint_type:
        raise _invalid("constraintType cannot be changed; create another criterion.", "constraintType")
    _check_actions(actions)
    if name is not None:
        criterion.name = clean_name(name, max_length=NAME_MAX_LENGTH, code=INVALID)
    if description is not None:
        criterion.description = _text(description, "description", required=False,
                                      max_length=limits.DESCRIPTION_MAX_LENGTH, code=INVALID)
    cleaned = None
    if constraints is not None:
        cleaned = _check_constraints(Resource(criterion.resource), criterion.constraint_type, constraints)
    role_rows = _resolve_roles(criterion.org, roles) if roles is not None else None
    criterion.save()
    if cleaned is not None:
        _write_constraints(criterion, cleaned)
    if role_rows is not None:
        criterion.roles.set(role_rows)
    audit.record(org=criterion.org, actor=actor, action="security_criterion.update", target=criterion,
                 target_id=criterion.code, before=before, after=criterion_state(criterion))
    return criterion


@transaction.atomic
def criterion_delete(*, actor, criterion: SecurityCriterion) -> None:
    """Deletes a criterion that no role holds; one still on a role fails with 22084."""
    _require_criteria_admin(actor)
    criterion = SecurityCriterion.objects.select_for_update().get(pk=criterion.pk)
    roles = sorted(r.code for r in criterion.roles.all())
    if roles:
        raise Conflict(f"Security criterion {criterion.code} is assigned to roles ({', '.join(roles)}); "
                       "remove it from them first.", code=IN_USE)
    before = criterion_state(criterion)
    audit.record(org=criterion.org, actor=actor, action="security_criterion.delete", target=criterion,
                 target_id=criterion.code, before=before)
    criterion.delete()


@transaction.atomic
def role_set_criteria(*, actor, role: Role, criteria: list[str]) -> list[SecurityCriterion]:
    """Returns the criteria now on `role`: exactly those named (ids of the role's org)."""
    _require_criteria_admin(actor)
    codes = list(dict.fromkeys(criteria or []))
    found = {c.code: c for c in SecurityCriterion.objects.filter(org_id=role.org_id, code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise InvalidInput(f"Unknown security criterion: {', '.join(missing)}.",
                           code=CriteriaErrorCode.UNKNOWN_SECURITY_CRITERION,
                           fields={"securityCriteria": [f"Unknown: {', '.join(missing)}"]})
    before = sorted(CriterionRole.objects.filter(role=role).values_list("criterion__code", flat=True))
    role.security_criteria.set([found[c] for c in codes])
    after = sorted(codes)
    if before != after:
        audit.record(org=role.org, actor=actor, action="role.security_criteria", target=role,
                     target_id=role.pk, before={"securityCriteria": before}, after={"securityCriteria": after})
    return [found[c] for c in codes]
