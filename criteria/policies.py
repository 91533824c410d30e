"""Who may do what with catalogs, price groups and security criteria.

`decide()` is the one decision of DESIGN.md §7: pages, the API, the list
columns ("may I edit this row?") and the explainer all call it. It reads the
user's criteria from a compact per-request cache (`rules_for`), loaded in one
query, so deciding for a whole page of rows costs no query per row.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from accessadmin.errors import CoreErrorCode, Forbidden
from accessadmin.policies import has_privilege
from accessadmin.privileges import Privilege

from .errors import CriteriaErrorCode
from .models import CriterionRole, SecurityCriterion
from .resources import RESOURCES, Action, Resource

_RULES_ATTR = "_criteria_rules"
GRANT = SecurityCriterion.ConstraintType.GRANT.value
DENY = SecurityCriterion.ConstraintType.DENY.value
GRANT_NONE = SecurityCriterion.ConstraintType.GRANT_NONE.value


# --- page and endpoint access --------------------------------------------------

def can_view_assets(user) -> bool:
    """Catalog and price-group pages and reads: the Catalog or Administrator privilege."""
    return has_privilege(user, Privilege.CATALOG)


def can_manage_criteria(user) -> bool:
    """Creating, changing, deleting and assigning security criteria: administrators only."""
    return has_privilege(user, Privilege.ADMIN)


def can_explain_for(actor, subject) -> bool:
    """An administrator may ask about any user of the org; anybody else only about themselves."""
    if subject is None:
        return False
    return can_manage_criteria(actor) or (can_view_assets(actor) and actor.pk == subject.pk)


# --- the user's criteria, compiled --------------------------------------------

@dataclass(slots=True)
class Entry:
    """One criterion reaching the user through one role."""

    role_code: str
    role_name: str
    criterion_code: str
    criterion_name: str
    constraint_type: str
    values: set[str] = field(default_factory=set)


@dataclass(slots=True)
class ResourceRules:
    """The user's criteria on one resource, indexed for O(1) decisions."""

    entries: list[Entry] = field(default_factory=list)
    granted: dict[str, list[Entry]] = field(default_factory=dict)
    denied: dict[str, list[Entry]] = field(default_factory=dict)
    grants: list[Entry] = field(default_factory=list)
    grant_nones: list[Entry] = field(default_factory=list)


EMPTY_RULES = ResourceRules()


def compile_rules(rows) -> dict[str, ResourceRules]:
    """Returns rules per resource from rows of
    (role code, role name, criterion code, criterion name, resource, constraint type, constraint values)."""
    by_key: dict[tuple[str, str], tuple[str, Entry]] = {}
    for role_code, role_name, crit_code, crit_name, resource, ctype, values in rows:
        key = (role_code, crit_code)
        if key not in by_key:
            by_key[key] = (resource, Entry(role_code, role_name, crit_code, crit_name, ctype))
        if values:
            by_key[key][1].values.update(values)
    rules: dict[str, ResourceRules] = {}
    for resource, entry in sorted(by_key.values(), key=lambda x: (x[1].role_name, x[1].criterion_code)):
        r = rules.setdefault(resource, ResourceRules())
        r.entries.append(entry)
        if entry.constraint_type == GRANT:
            r.grants.append(entry)
            for v in entry.values:
                r.granted.setdefault(v, []).append(entry)
        elif entry.constraint_type == DENY:
            for v in entry.values:
                r.denied.setdefault(v, []).append(entry)
        elif entry.constraint_type == GRANT_NONE:
            r.grant_nones.append(entry)
    return rules


def rules_for(user) -> dict[str, ResourceRules]:
    """Returns the user's compiled criteria per resource: one query, then kept on the user instance
    (which lives for one request, so changes apply from the next request; call `forget` in-process)."""
    cached = getattr(user, _RULES_ATTR, None)
    if cached is None:
        if user is None or not user.is_authenticated or user.org_id is None:
            cached = {}
        else:
            rows = CriterionRole.objects.filter(role__users=user, criterion__org_id=user.org_id).values_list(
                "role__code", "role__name", "criterion__code", "criterion__name", "criterion__resource",
                "criterion__constraint_type", "criterion__constraints__values")
            cached = compile_rules(rows)
        setattr(user, _RULES_ATTR, cached)
    return cached


def forget(user) -> None:
    """Drops the criteria cached on `user`."""
    if hasattr(user, _RULES_ATTR):
        delattr(user, _RULES_ATTR)


# --- the decision ---------------------------------------------------------------

class Step(StrEnum):
    """Which step of the decision settled it (DESIGN.md §7)."""

    NO_PRIVILEGE = "no_privilege"
    NO_CRITERIA = "no_criteria"
    DENIED = "deny"
    GRANTED = "grant"
    NOT_GRANTED = "not_granted"
    GRANT_NONE = "grantNone"
    DENIES_ONLY = "denies_only"


@dataclass(slots=True)
class Decision:
    allowed: bool
    step: Step
    resource: Resource
    item_id: str
    action: Action
    privilege: str | None
    decisive: list[Entry]  # the criteria that settled it (empty when none did)

    @property
    def reason(self) -> str:
        """Returns one sentence saying why."""
        what = f"{self.action.value} {RESOURCES[self.resource].singular} {self.item_id}"
        names = ", ".join(f"{e.criterion_code} (role {e.role_code})" for e in self.decisive)
        return {
            Step.NO_PRIVILEGE: f"May not {what}: neither the Catalog nor the Administrator privilege is held.",
            Step.NO_CRITERIA: f"May {what}: no security criteria on this kind of asset apply.",
            Step.DENIED: f"May not {what}: denied by {names}.",
            Step.GRANTED: f"May {what}: granted by {names}.",
            Step.NOT_GRANTED: f"May not {what}: none of the grants names it ({names}).",
            Step.GRANT_NONE: f"May not {what}: {names} grants none.",
            Step.DENIES_ONLY: f"May {what}: only deny criteria apply and none names it.",
        }[self.step]


def decide(user, resource: Resource, item_id: str, action: Action) -> Decision:
    """Returns whether `user` may `action` (create, update or delete) the asset `item_id` of `resource`, and why.

    1. no Catalog or Administrator privilege → refused;
    2. no criteria of that resource on the user's roles → allowed;
    3. any deny naming the item → refused (deny wins across roles);
    4. any grants → allowed iff some grant names the item;
    5. else grantNone → refused; else (denies only) → allowed.
    Every criterion covers create, update and delete alike, so `action` only labels the answer.
    Reads are never restricted by criteria: there is no read action here.
    """
    if has_privilege(user, Privilege.ADMIN):
        privilege = Privilege.ADMIN.value
    elif has_privilege(user, Privilege.CATALOG):
        privilege = Privilege.CATALOG.value
    else:
        return Decision(False, Step.NO_PRIVILEGE, resource, item_id, action, None, [])
    rules = rules_for(user).get(resource)
    if rules is None:
        return Decision(True, Step.NO_CRITERIA, resource, item_id, action, privilege, [])
    denied = rules.denied.get(item_id)
    if denied:
        return Decision(False, Step.DENIED, resource, item_id, action, privilege, denied)
    if rules.grants:
        granted = rules.granted.get(item_id)
        if granted:
            return Decision(True, Step.GRANTED, resource, item_id, action, privilege, granted)
        return Decision(False, Step.NOT_GRANTED, resource, item_id, action, privilege, rules.grants)
    if rules.grant_nones:
        return Decision(False, Step.GRANT_NONE, resource, item_id, action, privilege, rules.grant_nones)
    return Decision(True, Step.DENIES_ONLY, resource, item_id, action, privilege, [])


def can_change(user, resource: Resource, item_id: str, action: Action) -> bool:
    return decide(user, resource, item_id, action).allowed


def check_change(user, resource: Resource, item_id: str, action: Action) -> Decision:
    """Returns the decision when allowed; raises Forbidden (403, changes nothing) when refused."""
    decision = decide(user, resource, item_id, action)
    if not decision.allowed:
        code = CoreErrorCode.PERMISSION_DENIED if decision.step == Step.NO_PRIVILEGE \
            else CriteriaErrorCode.SECURITY_CRITERIA_DENIED
        raise Forbidden(decision.reason, code=code)
    return decision


@dataclass(slots=True)
class ExplainedEntry:
    entry: Entry
    names_item: bool
    decisive: bool


def explain(user, resource: Resource, item_id: str, action: Action) -> tuple[Decision, list[ExplainedEntry]]:
    """Returns the decision and every criterion of every role of `user` on `resource`,
    each marked whether it names the item and whether it decided (shown even when step 1 decided)."""
    decision = decide(user, resource, item_id, action)
    rules = rules_for(user).get(resource, EMPTY_RULES)
    decisive = {id(e) for e in decision.decisive}
    return decision, [ExplainedEntry(e, item_id in e.values, id(e) in decisive) for e in rules.entries]
