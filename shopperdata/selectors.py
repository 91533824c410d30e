"""Reads of shopper data, scoped to one org.

Selectors return rows; showing property values to anyone always goes through
masking.present() with an AccessPlan from plan_for(actor=..., org=...).
`actor=None` means a system integration (another app's server code, the till
API): its plan masks nothing.
"""

import re

from django.db.models import Q, QuerySet
from django.http import Http404

from accessadmin.models import AuditEvent, Org, Role
from accessadmin.tenancy import get_scoped_or_404, scope

from .builtins import COLUMN_PROPERTIES, ensure_builtin_properties
from .models import USER_SHOPPER_TYPE, Profile, PropertyDefinition
from .policies import AccessPlan, access_plan, write_without_read
from .values import is_empty

PHONE_LIKE_RE = re.compile(r"^\+?[0-9][0-9 ().-]{2,}$")


def property_list(*, org: Org, shopper_type: str = USER_SHOPPER_TYPE) -> list[PropertyDefinition]:
    """Returns the properties of `org`'s shopper type in order (built-in ones created when missing).

    Raises Http404 for a shopper type other than `user`.
    """
    if shopper_type != USER_SHOPPER_TYPE:
        raise Http404("No such shopper type.")
    props = list(scope(PropertyDefinition.objects.filter(shopper_type=shopper_type), org))
    if ensure_builtin_properties(org=org, existing=props):  # idempotent; a no-op once an org has them
        props = list(scope(PropertyDefinition.objects.filter(shopper_type=shopper_type), org))
    return props


def property_get(*, org: Org, code: str) -> PropertyDefinition:
    for prop in property_list(org=org):
        if prop.code == code:
            return prop
    raise Http404("No such property.")


def plan_for(*, actor, org: Org) -> AccessPlan:
    """Returns `actor`'s AccessPlan over `org`'s properties (two queries); actor None: system, unmasked."""
    return access_plan(actor=actor, properties=property_list(org=org))


def org_roles(*, org: Org) -> dict[str, frozenset[str]]:
    """Returns every role id of `org` → the access-right ids it holds (one query)."""
    roles: dict[str, set[str]] = {}
    for code, right in scope(Role.objects.all(), org).values_list("code", "access_rights__code"):
        roles.setdefault(code, set())
        if right:
            roles[code].add(right)
    return {code: frozenset(rights) for code, rights in sorted(roles.items())}


def profile_values(profile: Profile) -> dict:
    """Returns every stored property value of `profile` keyed by property id (unmasked)."""
    values = dict(profile.properties or {})
    for code, column in COLUMN_PROPERTIES.items():
        values[code] = getattr(profile, column)
    return values


def profile_list(*, org: Org, plan: AccessPlan | None = None, q: str = "", email: str = "", mobile: str = "",
                 name: str = "") -> QuerySet:
    """Returns `org`'s profiles matching the filters, oldest first.

    `q` matches email, mobile, first or last name; `name` first or last name.
    Only properties the plan's viewer may read are searched, so a search can
    not reveal a masked value (plan None: system, everything searchable).
    """
    qs = scope(Profile.objects.all(), org)

    def readable(code):
        return plan is None or plan.readable(code)

    def name_q(term) -> Q | None:
        lookups = [lookup for code, lookup in (("firstName", "first_name__icontains"),
                                                ("lastName", "last_name__icontains")) if readable(code)]
        if not lookups or not term.split():
            return None
        cond = Q()
        for part in term.split():
            part_q = Q()
            for lookup in lookups:
                part_q |= Q(**{lookup: part})
            cond &= part_q
        return cond

    q, email, mobile, name = (s.strip() for s in (q, email, mobile, name))
    if email:
        qs = qs.filter(email=email.lower()) if readable("email") else qs.none()
    if mobile:
        qs = qs.filter(_mobile_q(mobile)) if readable("mobile") and normalise_mobile(mobile) else qs.none()
    if name:
        cond = name_q(name)
        qs = qs.filter(cond) if cond is not None else qs.none()
    if q:
        alternatives = []
        if readable("email"):
            alternatives.append(Q(email__icontains=q))
        if readable("mobile") and PHONE_LIKE_RE.match(q):
            alternatives.append(Q(mobile__contains=normalise_mobile(q).lstrip("+")))
        if name_q(q) is not None:
            alternatives.append(name_q(q))
        if not alternatives:
            return qs.none()
        cond = Q()
        for alt in alternatives:
            cond |= alt
        qs = qs.filter(cond)
    return qs.order_by("id")


def column_max_lengths() -> dict[str, int]:
    """Returns {property id: max length} of the properties kept in Profile columns (email, mobile, names)."""
    return {code: Profile._meta.get_field(column).max_length for code, column in COLUMN_PROPERTIES.items()}


def normalise_mobile(value: str | None) -> str | None:
    """Returns a mobile number as digits with an optional leading +, or None when it has no digits."""
    if value is None:
        return None
    value = str(value).strip()
    digits = "".join(ch for ch in value if ch.isdigit())
    if not digits:
        return None
    return ("+" if value.startswith("+") else "") + digits


def _mobile_q(value: str) -> Q:
    """Matches a mobile number written with or without its leading + (a + in a URL often arrives as a space)."""
    number = normalise_mobile(value)
    digits = number.lstrip("+")
    return Q(mobile=number) if number.startswith("+") else Q(mobile=digits) | Q(mobile="+" + digits)


def profile_get(*, org: Org, pk) -> Profile:
    """Returns `org`'s profile `pk`; 404 when missing or another org's."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    return get_scoped_or_404(Profile.objects.all(), org, pk=pk)


def profile_exists(*, org: Org, pk: int) -> bool:
    """Returns whether `org` has profile `pk` (one EXISTS query: no column is fetched)."""
    return scope(Profile.objects.all(), org).filter(pk=pk).exists()


def profile_find(*, org: Org, email: str | None = None, mobile: str | None = None) -> Profile | None:
    """Returns `org`'s profile with this email or mobile number (system lookup, e.g. the till API), or None."""
    qs = scope(Profile.objects.all(), org)
    if email:
        return qs.filter(email=email.strip().lower()).first()
    if mobile and normalise_mobile(mobile):
        return qs.filter(_mobile_q(mobile)).first()
    return None


def profile_history(*, org: Org, profile: Profile):
    return scope(AuditEvent.objects.all(), org).filter(target_type="shopperdata.profile", target_id=str(profile.pk))


def property_history(*, org: Org):
    return scope(AuditEvent.objects.all(), org).filter(target_type="shopperdata.shoppertype")


def profile_count(*, org: Org, actor=None) -> int:
    """Returns how many profiles the org has: whoever may use profiles may open each of them (masked)."""
    return scope(Profile.objects.all(), org).count()


def shopper_type_warnings(*, org: Org, properties: list[PropertyDefinition]) -> list[dict]:
    """Returns one warning per property that some role of `org` could write but not read.

    The document asks that writers be a subset of readers; breaking that is
    allowed (it is not an error) but shown on the page and in the API.
    """
    roles = org_roles(org=org)
    warnings = []
    for prop in properties:
        offenders = write_without_read(prop, roles)
        if offenders:
            warnings.append({
                "code": "write_without_read",
                "property": prop.code,
                "roles": offenders,
                "message": (f"{prop.code}: role{'s' if len(offenders) > 1 else ''} {', '.join(offenders)} could "
                            "change this property without being able to read it."),
            })
    return warnings


def profile_identify(*, org: Org, identifier_type: str, value) -> Profile | None:
    """Returns `org`'s profile named by one identifier (`mobile`, `email`, `externalId` or `id`), or None.

    A system lookup (the privacy app's deletion requests): nothing is masked; another org's
    profile is None, like a missing one.
    """
    value = "" if value is None else str(value).strip()
    if not value:
        return None
    qs = scope(Profile.objects.all(), org)
    if identifier_type == "id":
        if not (value.isascii() and value.isdigit()) or len(value) > 18:
            return None
        return qs.filter(pk=int(value)).first()
    if identifier_type == "email":
        return qs.filter(email=value.lower()).first()
    if identifier_type == "mobile":
        return qs.filter(_mobile_q(value)).first() if normalise_mobile(value) else None
    if identifier_type == "externalId":
        return qs.filter(external_id=value).first()
    return None


def pii_property_ids(*, org: Org) -> set[str]:
    """Returns the ids of `org`'s properties flagged as personal data (one query once the built-ins exist)."""
    return {p.code for p in property_list(org=org) if p.pii}


PII_IDENTIFIERS = frozenset({"email", "mobile", "externalId"})  # identifiers are always personal data


def profile_pii_present(*, profile: Profile, pii: set[str] | None = None) -> list[str]:
    """Returns the ids of the personal-data properties and identifiers that hold a value on `profile`:
    what erasing it clears (services.profile_erase), sorted. `pii`: the org's PII ids when known."""
    pii = (pii_property_ids(org=profile.org) if pii is None else pii) | PII_IDENTIFIERS
    current = {**profile_values(profile), "externalId": profile.external_id}
    return sorted(code for code in pii if not is_empty(current.get(code)))


def profile_ids_identify(*, org: Org, identifier_type: str, values) -> dict[str, int]:
    """Returns {value: profile id} for each of `values` that names one of `org`'s profiles by
    `identifier_type`, matched as profile_identify matches one value, in one query (bulk files)."""
    wanted: dict[str, list[str]] = {}  # stored form → the values given that match it

    def want(stored: str, raw: str) -> None:
        wanted.setdefault(stored, []).append(raw)

    for raw in values:
        value = "" if raw is None else str(raw).strip()
        if not value:
            continue
        if identifier_type == "id":
            if value.isascii() and value.isdigit() and len(value) <= 18:
                want(str(int(value)), raw)
        elif identifier_type == "email":
            want(value.lower(), raw)
        elif identifier_type == "externalId":
            want(value, raw)
        elif identifier_type == "mobile" and normalise_mobile(value):
            number = normalise_mobile(value)
            digits = number.lstrip("+")
            for stored in ((number,) if number.startswith("+") else (digits, "+" + digits)):
                want(stored, raw)
    if not wanted:
        return {}
    column = {"id": "pk", "email": "email", "externalId": "external_id", "mobile": "mobile"}[identifier_type]
    found: dict[str, int] = {}
    rows = scope(Profile.objects.all(), org).filter(**{f"{column}__in": list(wanted)}).order_by("pk")
    for pk, stored in rows.values_list("pk", column):
        for raw in wanted[str(stored)]:
            found.setdefault(raw, pk)
    return found
