"""Writes of shopper data: the shopper type's properties, profiles, the system export.

Every function is keyword-only, checks everything before writing (an error
changes nothing) and records an audit event in the same transaction.

`actor=None` means a system integration (another app's server code such as
the till API): no privilege check and no property access control, as the
document says for subsystems that exchange data with external systems. Every
person (page, Admin API) passes its user.
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from accessadmin import audit
from accessadmin.errors import Conflict, Forbidden, InvalidInput
from accessadmin.models import AccessRight, Org, Role

from . import policies, selectors
from .attributes import (
    ACCESS_ATTRIBUTES,
    ACCESS_RIGHT_ATTRIBUTES,
    ATTRIBUTES,
    BOOL_ATTRIBUTES,
    LEVEL_ATTRIBUTES,
    NULLABLE_BOOL_ATTRIBUTES,
    ROLE_ATTRIBUTES,
    STRING_ATTRIBUTES,
    attributes_of,
    editable_attributes,
)
from .builtins import COLUMN_PROPERTIES, IDENTIFIER_COLUMNS
from .errors import Code
from .masking import check_writes, present
from .models import USER_SHOPPER_TYPE, Profile, PropertyDefinition, SecurityLevel
from .values import ARRAY_ITEM_TYPES, BadValue, coerce, is_empty, normalise_type

PROPERTY_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")

# --- built-in properties ------------------------------------------------------


# --- the shopper type -----------------------------------------------------------

def _bad(message: str, code: Code, prop: str, attr: str | None = None):
    """Returns the InvalidInput for a broken rule; `fields` is keyed "<property>.<attribute>" (or "<property>")."""
    return InvalidInput(message, code=code, fields={f"{prop}.{attr}" if attr else prop: [message]})


def _normalise_values(code: str, raw) -> list[dict]:
    if not isinstance(raw, list):
        raise _bad(f"{code}: values must be a list.", Code.INVALID_ATTRIBUTE_VALUE, code, "values")
    out, seen = [], set()
    for item in raw:
        if isinstance(item, str):
            value, label = item, item
        elif isinstance(item, dict) and isinstance(item.get("value"), str):
            value, label = item["value"], item.get("label") or item["value"]
        else:
            raise _bad(f"{code}: each enumerated value must be a string or {{value, label}}.",
                       Code.INVALID_ATTRIBUTE_VALUE, code, "values")
        if not value or value in seen:
            raise _bad(f"{code}: enumerated values must be unique and not empty.", Code.INVALID_ATTRIBUTE_VALUE,
                       code, "values")
        seen.add(value)
        out.append({"value": value, "label": str(label)})
    return out


def _check_attribute_shape(code: str, name: str, value):
    """Returns `value` normalised for attribute `name`, or raises."""
    if name in BOOL_ATTRIBUTES:
        if not isinstance(value, bool):
            raise _bad(f"{code}.{name} must be true or false.", Code.INVALID_ATTRIBUTE_VALUE, code, name)
    elif name in NULLABLE_BOOL_ATTRIBUTES:
        if value is not None and not isinstance(value, bool):
            raise _bad(f"{code}.{name} must be true, false or null.", Code.INVALID_ATTRIBUTE_VALUE, code, name)
    elif name in STRING_ATTRIBUTES or name in ROLE_ATTRIBUTES or name in ACCESS_RIGHT_ATTRIBUTES:
        if value is not None and not isinstance(value, str):
            raise _bad(f"{code}.{name} must be a string or null.", Code.INVALID_ATTRIBUTE_VALUE, code, name)
        if isinstance(value, str):
            value = value.strip() or None
        if name == "label" and not value:
            raise _bad(f"{code}.label must not be empty.", Code.INVALID_ATTRIBUTE_VALUE, code, "label")
    elif name in LEVEL_ATTRIBUTES:
        if value not in (None, SecurityLevel.IGNORE, SecurityLevel.DENY):
            raise _bad(f"{code}.{name} must be ignore, deny or null.", Code.INVALID_SECURITY_LEVEL, code, name)
    elif name == "length":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100000):
            raise _bad(f"{code}.length must be a whole number from 1 to 100000.", Code.INVALID_ATTRIBUTE_VALUE,
                       code, "length")
    elif name == "values":
        value = _normalise_values(code, value)
    return value


def _same_attribute(prop: PropertyDefinition, name: str, value) -> bool:
    current = getattr(prop, ATTRIBUTES[name])
    if name == "type":
        return normalise_type(value) == current
    if name == "values" and isinstance(value, list):
        try:
            return _normalise_values(prop.code, value) == current
        except InvalidInput:
            return False
    return value == current


def _apply_property_changes(prop: PropertyDefinition, attrs: dict, *, creating: bool,
                            roles: set[str], access_rights: set[str]) -> None:
    """Sets `attrs` (API names) on `prop` after checking every rule of the document; raises on the first break."""
    code = prop.code
    if not isinstance(attrs, dict):
        raise _bad(f"{code}: a property must be an object of attributes.", Code.INVALID_BODY, code)
    attrs = dict(attrs)
    given_id = attrs.pop("id", code)
    if given_id != code:
        raise _bad(f"{code}: id {given_id!r} does not match the property key.", Code.INVALID_PROPERTY_ID, code, "id")
    attrs.pop("editableAttributes", None)  # sent back from a GET; never set by a client
    for name in attrs:
        if name not in ATTRIBUTES:
            raise _bad(f"{code}: unknown attribute {name!r}.", Code.UNKNOWN_ATTRIBUTE, code, name)

    if creating:
        type_ = normalise_type(attrs.get("type"))
        if type_ is None:
            raise _bad(f"{code}: type must be one of shortText, longText, richText, number, date, timestamp, "
                       "checkbox, enumerated, array, reference.", Code.INVALID_PROPERTY_TYPE, code, "type")
        prop.type = type_
        attrs.pop("type", None)
        prop.label = code
        prop.ui_editor_type = type_
    else:
        editable = set(editable_attributes(prop))
        for name, value in attrs.items():
            if prop.type == "reference" and name in ACCESS_ATTRIBUTES and value is not None:
                continue  # reported below with its own code
            if prop.type == "array" and name == "securityMaskingValue" and value is not None:
                continue
            if name not in editable and not _same_attribute(prop, name, value):
                raise _bad(f"{code}.{name} cannot be changed.", Code.ATTRIBUTE_NOT_EDITABLE, code, name)

    for name, value in attrs.items():
        if name == "type":
            continue
        setattr(prop, ATTRIBUTES[name], _check_attribute_shape(code, name, value))

    # The document's rules, on the property as it would be saved.
    if prop.type == "reference":
        if not prop.item_type:
            raise _bad(f"{code}: a reference needs itemType (the type it points to).",
                       Code.INVALID_ATTRIBUTE_VALUE, code, "itemType")
        set_access = [n for n in ACCESS_ATTRIBUTES if getattr(prop, ATTRIBUTES[n]) is not None]
        if set_access:
            raise _bad(f"{code}: access attributes ({', '.join(set_access)}) cannot be set on a reference "
                       "property; set them on the properties of the referenced object.",
                       Code.ACCESS_ON_REFERENCE, code, set_access[0])
    if prop.type == "array":
        prop.item_type = prop.item_type or "shortText"
        if prop.item_type not in ARRAY_ITEM_TYPES:
            raise _bad(f"{code}: an array holds shortText or number items.", Code.INVALID_ATTRIBUTE_VALUE, code,
                       "itemType")
        if prop.security_masking_value is not None:
            raise _bad(f"{code}: securityMaskingValue cannot be set on an array property.",
                       Code.MASKING_VALUE_ON_ARRAY, code, "securityMaskingValue")
    elif prop.type != "reference" and prop.item_type:
        raise _bad(f"{code}: itemType is only for array and reference properties.", Code.INVALID_ATTRIBUTE_VALUE,
                   code, "itemType")
    if prop.type == "enumerated" and not prop.values:
        raise _bad(f"{code}: an enumerated property needs values.", Code.ENUM_VALUES_REQUIRED, code, "values")
    if prop.type != "enumerated" and prop.values:
        raise _bad(f"{code}: only enumerated properties have values.", Code.INVALID_ATTRIBUTE_VALUE, code, "values")
    if prop.multi_select and prop.type != "enumerated":
        raise _bad(f"{code}: multiSelect is only for enumerated properties.", Code.INVALID_ATTRIBUTE_VALUE, code,
                       "multiSelect")
    for name in ROLE_ATTRIBUTES:
        role = getattr(prop, ATTRIBUTES[name])
        if role is not None and role not in roles:
            raise _bad(f"{code}.{name}: unknown role {role!r}.", Code.UNKNOWN_ROLE, code, name)
    for name in ACCESS_RIGHT_ATTRIBUTES:
        right = getattr(prop, ATTRIBUTES[name])
        if right is not None and right not in access_rights:
            raise _bad(f"{code}.{name}: unknown access right {right!r}.", Code.UNKNOWN_ACCESS_RIGHT, code, name)
    for name in LEVEL_ATTRIBUTES:
        if getattr(prop, ATTRIBUTES[name]) == SecurityLevel.DENY and prop.builtin:
            raise _bad(f"{code}.{name}: deny is available only for custom properties.", Code.DENY_ON_BUILTIN,
                       code, name)
    if prop.default is not None:
        try:
            prop.default = coerce(prop, prop.default)
        except BadValue as e:
            raise _bad(f"{code}.default {e}.", Code.INVALID_DEFAULT, code, "default") from None
    if prop.security_masking_value is not None:
        try:
            prop.security_masking_value = coerce(prop, prop.security_masking_value)
        except BadValue as e:
            raise _bad(f"{code}.securityMaskingValue must match the property type {prop.type}: it {e}.",
                       Code.MASKING_VALUE_TYPE, code, "securityMaskingValue") from None
    if prop.required and prop.default is None and not prop.builtin:
        raise _bad(f"{code}: a required custom property needs a default.", Code.REQUIRED_WITHOUT_DEFAULT, code,
                       "default")


@dataclass
class ShopperTypeUpdate:
    properties: list[PropertyDefinition]
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@transaction.atomic
def shopper_type_update(*, actor, org: Org, properties: dict, properties_order: list | None = None,
                        language: str | None = None, shopper_type: str = USER_SHOPPER_TYPE) -> ShopperTypeUpdate:
    """Returns the shopper type after adding or changing `properties` ({id: {attribute: value}}).

    An unknown id creates a custom property (its `type` is then required).
    Every property is checked before any is saved; the first broken rule
    raises InvalidInput with its stable code. `language` is the
    x-ccasset-language of the request, recorded with the change (labels are
    not translated per language).
    """
    if actor is not None and not policies.can_manage_shopper_type(actor):
        raise Forbidden("Only administrators change property access rules.", code=Code.SHOPPER_TYPE_FORBIDDEN)
    if language is not None and not LANGUAGE_RE.match(language):
        raise InvalidInput("x-ccasset-language must be a language tag such as en or en_US.",
                           code=Code.INVALID_LANGUAGE)
    if not isinstance(properties, dict):
        raise InvalidInput("properties must be an object keyed by property id.", code=Code.INVALID_BODY)
    selectors.property_list(org=org, shopper_type=shopper_type)  # creates the built-ins when missing
    existing = {p.code: p for p in PropertyDefinition.objects.select_for_update()
                .filter(org=org, shopper_type=shopper_type)}
    roles = set(Role.objects.filter(org=org).values_list("code", flat=True))
    rights = set(AccessRight.objects.for_org(org).values_list("code", flat=True))
    result = ShopperTypeUpdate(properties=[])
    order_changed = False
    before, after, to_save = {}, {}, []
    next_position = max((p.position for p in existing.values()), default=0) + 1
    for code, attrs in properties.items():
        prop = existing.get(code)
        creating = prop is None
        if creating:
            if not isinstance(code, str) or not PROPERTY_ID_RE.match(code) or code in {"id", "repositoryId",
                                                                                         "links"}:
                raise _bad(f"{code!r} is not a valid property id (a letter, then letters, digits or _).",
                           Code.INVALID_PROPERTY_ID, str(code))
            prop = PropertyDefinition(org=org, shopper_type=shopper_type, code=code, builtin=False,
                                      position=next_position)
            next_position += 1
        else:
            before[code] = attributes_of(prop)
        _apply_property_changes(prop, attrs, creating=creating, roles=roles, access_rights=rights)
        state = attributes_of(prop)
        if creating or state != before[code]:
            after[code] = state
            to_save.append(prop)
            (result.created if creating else result.changed).append(code)
            existing[code] = prop
        else:
            before.pop(code)
    if properties_order is not None:
        if not isinstance(properties_order, list) or not all(isinstance(c, str) for c in properties_order):
            raise InvalidInput("propertiesOrder must be a list of property ids.", code=Code.INVALID_BODY)
        unknown = [c for c in properties_order if c not in existing]
        if unknown:
            raise InvalidInput(f"propertiesOrder names unknown properties: {', '.join(unknown)}.",
                               code=Code.UNKNOWN_PROPERTY)
        rank = {c: i for i, c in enumerate(properties_order)}
        ordered = sorted(existing.values(), key=lambda p: (rank.get(p.code, len(rank)), p.position, p.code))
        before_order = [p.code for p in sorted(existing.values(), key=lambda p: (p.position, p.code))]
        order_changed = [p.code for p in ordered] != before_order
        for i, prop in enumerate(ordered):
            if order_changed and prop.position != i:
                prop.position = i
                if prop not in to_save:
                    to_save.append(prop)
    for prop in to_save:
        prop.save()
    if after or order_changed:
        audit.record(org=org, actor=actor, action="shopper_type.update", target=None,
                     target_type="shopperdata.shoppertype", target_id=shopper_type,
                     before=before or None,
                     after={**after, **({"propertiesOrder": properties_order} if order_changed else {}),
                            **({"language": language} if language else {})})
    result.properties = selectors.property_list(org=org, shopper_type=shopper_type)
    return result


# --- profiles -------------------------------------------------------------------

@dataclass
class ProfileWrite:
    profile: Profile
    changed: list[str]
    ignored: list[str]


def _require_profiles(actor) -> None:
    if actor is not None and not policies.can_use_profiles(actor):
        raise Forbidden("Only CS agents and administrators work with shopper profiles.",
                        code=Code.PROFILES_FORBIDDEN)


def _finish_columns(changes: dict, org: Org, exclude_pk=None) -> None:
    """Normalises email and mobile in `changes` and checks they are free in `org`."""
    if "email" in changes:
        email = (changes["email"] or "").strip().lower() or None
        if email is not None:
            try:
                validate_email(email)
            except ValidationError:
                raise InvalidInput("email: enter a valid email address.", code=Code.INVALID_PROPERTY_VALUE,
                                   fields={"email": ["Enter a valid email address."]}) from None
            if Profile.objects.filter(org=org, email=email).exclude(pk=exclude_pk).exists():
                raise Conflict("A profile with this email exists.", code=Code.DUPLICATE_EMAIL,
                               fields={"email": ["A profile with this email exists."]})
        changes["email"] = email
    if "mobile" in changes:
        raw = changes["mobile"]
        mobile = selectors.normalise_mobile(raw) if raw not in (None, "") else None
        if raw not in (None, "") and (mobile is None or len(mobile.lstrip("+")) < 5):
            raise InvalidInput("mobile: enter a phone number.", code=Code.INVALID_PROPERTY_VALUE,
                               fields={"mobile": ["Enter a phone number."]})
        if mobile is not None and Profile.objects.filter(org=org, mobile=mobile).exclude(pk=exclude_pk).exists():
            raise Conflict("A profile with this mobile number exists.", code=Code.DUPLICATE_MOBILE,
                           fields={"mobile": ["A profile with this mobile number exists."]})
        changes["mobile"] = mobile


# A profile is someone a brand can find again: it holds at least one of these (after normalising).
IDENTIFIERS = ("email", "mobile")


def _check_identified(state: dict) -> None:
    if not any(state.get(code) for code in IDENTIFIERS):
        message = "A profile needs an email address or a mobile number."
        raise InvalidInput(message, code=Code.IDENTIFIER_REQUIRED, fields={code: [message] for code in IDENTIFIERS})


def _check_required(plan, state: dict, codes) -> None:
    missing = [c for c in codes if plan.properties[c].required and is_empty(state.get(c))]
    if missing:
        raise InvalidInput(f"Required: {', '.join(missing)}.", code=Code.REQUIRED_PROPERTY_MISSING,
                           fields={c: ["This property is required."] for c in missing})


def _audit_values(plan, changes: dict) -> dict:
    """Returns `changes` for the audit log: values of read-restricted properties are not copied there,
    since the audit log is read by people the property rules may not let read them."""
    return {code: ("(restricted)" if plan.properties[code].read_restricted else value)
            for code, value in changes.items()}


def _save_values(profile: Profile, changes: dict) -> None:
    props = dict(profile.properties or {})
    for code, value in changes.items():
        column = COLUMN_PROPERTIES.get(code)
        if column:
            setattr(profile, column, value)
        elif value is None:
            props.pop(code, None)
        else:
            props[code] = value
    profile.properties = props


@transaction.atomic
def profile_create(*, actor, org: Org, values: dict, lenient: bool = False) -> ProfileWrite:
    """Returns the new profile of `org` with `values` ({property id: value}) applied through the write rules.

    The profile must hold an email address or a mobile number (IDENTIFIERS;
    InvalidInput identifier_required otherwise). A property left out gets
    its default. A property the actor may not write keeps its default:
    silently with `ignore`, with Forbidden under `deny` unless the submitted
    value is what the actor would be shown. `lenient` accepts form strings
    ("12", "on"). actor None: a system integration,
    unrestricted (the till API registers customers this way).
    """
    _require_profiles(actor)
    plan = selectors.plan_for(actor=actor, org=org)
    defaults = {code: p.default for code, p in plan.properties.items() if p.default is not None}
    for code in COLUMN_PROPERTIES:
        defaults.setdefault(code, None)
    changes, ignored = check_writes(plan=plan, current=defaults, submitted=dict(values), lenient=lenient)
    state = {**defaults, **changes}
    _check_required(plan, state, plan.properties)
    _finish_columns(state, org)
    _check_identified(state)
    profile = Profile(org=org)
    _save_values(profile, {code: v for code, v in state.items() if code in plan.properties})
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise Conflict("A profile with this email or mobile number exists.", code=Code.DUPLICATE_EMAIL) from None
    changed = sorted(changes)
    audit.record(org=org, actor=actor, action="profile.create", target=profile,
                 after=_audit_values(plan, {c: state.get(c) for c in changed}))
    return ProfileWrite(profile=profile, changed=changed, ignored=ignored)


@transaction.atomic
def profile_update(*, actor, profile: Profile, values: dict, lenient: bool = False) -> ProfileWrite:
    """Returns the profile after applying `values` ({property id: value}) through the write rules.

    Takes a row lock on the profile. Properties not in `values` are untouched.
    Sending back what the actor was shown (the value, or its mask) changes
    nothing and is never an error; refused changes are dropped (`ignore`) or
    raise Forbidden (`deny`), in which case nothing is saved. actor None: a
    system integration, unrestricted.
    """
    _require_profiles(actor)
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    plan = selectors.plan_for(actor=actor, org=profile.org)
    current = selectors.profile_values(profile)
    changes, ignored = check_writes(plan=plan, current=current, submitted=dict(values), lenient=lenient)
    _check_required(plan, {**current, **changes}, changes)
    _finish_columns(changes, profile.org, exclude_pk=profile.pk)
    if any(code in changes for code in IDENTIFIERS):
        _check_identified({**current, **changes})  # a change may not remove the last identifier
    changes = {c: v for c, v in changes.items() if v != current.get(c)}
    if changes:
        before = _audit_values(plan, {c: current.get(c) for c in changes})
        _save_values(profile, changes)
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError:
            raise Conflict("A profile with this email or mobile number exists.", code=Code.DUPLICATE_EMAIL) from None
        audit.record(org=profile.org, actor=actor, action="profile.update", target=profile, before=before,
                     after=_audit_values(plan, changes))
    return ProfileWrite(profile=profile, changed=sorted(changes), ignored=ignored)


# --- the system export ----------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER_RE = re.compile(r"^[+-]?[0-9][0-9 ]*(\.[0-9]+)?$")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    text = str(value)
    # A spreadsheet would run a cell starting with these as a formula (plain numbers such as +4470... are safe).
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER_RE.match(text):
        text = "'" + text
    return text


@transaction.atomic
def profile_export(*, actor, org: Org) -> Iterator[str]:
    """Returns the lines of a CSV of all `org`'s profiles, unmasked (the document's bulk-export exception).

    Administrators only; the export is audited before the first line is produced.
    """
    if not policies.can_export_profiles(actor):
        raise Forbidden("Only administrators export shopper profiles.", code=Code.EXPORT_FORBIDDEN)
    plan = selectors.plan_for(actor=None, org=org)  # the system plan: nothing masked, nothing left out
    qs = selectors.profile_list(org=org)
    count = qs.count()
    audit.record(org=org, actor=actor, action="profile.export", target=None, target_type="shopperdata.profile",
                 target_id="*", after={"profiles": count, "properties": list(plan.properties)})
    header = ["id", *plan.properties]

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)

        def flush():
            text = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            return text

        writer.writerow(header)
        yield flush()
        for profile in qs.iterator(chunk_size=500):
            shown = present(selectors.profile_values(profile), plan)
            writer.writerow([profile.pk, *(_csv_cell(shown.get(c)) for c in plan.properties)])
            yield flush()

    return lines()


# --- erasing personal data (called by the privacy app) ------------------------------

ERASED = "(erased)"


def profile_set_deletion_pending(*, profile_id: int, pending: bool) -> None:
    """Sets whether a deletion request of the profile is open.

    A plain update without an audit row of its own: the flag mirrors the privacy app's request,
    whose every change is audited there; it exists so customer payloads read it without a query per row.
    """
    Profile.objects.filter(pk=profile_id).update(deletion_pending=pending)


@transaction.atomic
def profile_erase(*, profile_id: int, now, reference: str = "") -> list[str] | None:
    """Returns the property ids it erased from the profile, or None when the profile was erased before.

    Takes a row lock on the profile. Clears every property flagged PII (built-in and custom) and the
    identifiers (email, mobile, external id, always PII), marks the profile deleted at `now`, and
    redacts the PII values from the profile's earlier audit events. The id and everything
    non-personal stay. The erasure is audited without any personal value (`reference` names the
    request that asked for it).
    """
    profile = Profile.objects.select_for_update(of=("self",)).select_related("org").get(pk=profile_id)
    if profile.deleted_at is not None:
        return None
    org = profile.org
    pii = selectors.pii_property_ids(org=org) | selectors.PII_IDENTIFIERS
    erased = selectors.profile_pii_present(profile=profile, pii=pii)
    for code in pii:
        column = COLUMN_PROPERTIES.get(code)
        if column:
            setattr(profile, column, None)
    for column in IDENTIFIER_COLUMNS:
        setattr(profile, column, None)
    profile.properties = {k: v for k, v in (profile.properties or {}).items() if k not in pii}
    profile.deletion_pending = False
    profile.deleted_at = now
    profile.save()
    _redact_history(org=org, profile=profile, pii=pii)
    audit.record(org=org, actor=None, action="profile.erase", target=profile,
                 after={"erased": erased, "deleted_at": now, **({"request": reference} if reference else {})})
    return erased


def _redact_history(*, org: Org, profile: Profile, pii: set[str]) -> None:
    """Replaces the PII values in the profile's audit events by ERASED (two queries at most)."""
    changed = []
    for event in selectors.profile_history(org=org, profile=profile).only("id", "before", "after"):
        touched = False
        for side in ("before", "after"):
            values = getattr(event, side)
            if isinstance(values, dict) and any(k in pii and values[k] is not None for k in values):
                setattr(event, side, {k: (ERASED if k in pii and v is not None else v) for k, v in values.items()})
                touched = True
        if touched:
            changed.append(event)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["before", "after"], batch_size=500)
