"""The decision of DESIGN.md §7, asked directly (the API and page tests ask it through the front door)."""

import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_user

from .. import policies
from ..policies import Step
from ..resources import Action, Resource
from .factories import SCENARIOS, ids_for, make_criterion, role_with_criteria, scenario_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("resource", list(Resource))
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("name,privilege,roles,allowed", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_decision_matrix(acme, resource, action, name, privilege, roles, allowed):
    user = scenario_user(acme, resource, privilege, roles)
    decision = policies.decide(user, resource, ids_for(resource)["T"], action)
    assert decision.allowed is allowed, decision.reason
    assert policies.can_change(user, resource, ids_for(resource)["T"], action) is allowed


@pytest.mark.parametrize("roles,step,decisive", [
    ([], Step.NO_CRITERIA, []),
    ([[("grant", "T")]], Step.GRANTED, ["c-grant-T"]),
    ([[("grant", "O")]], Step.NOT_GRANTED, ["c-grant-O"]),
    ([[("grant", "T")], [("deny", "T")]], Step.DENIED, ["c-deny-T"]),
    ([[("grantNone", "")]], Step.GRANT_NONE, ["c-grantNone-"]),
    ([[("deny", "O")]], Step.DENIES_ONLY, []),
])
def test_the_decisive_criterion_is_named(acme, roles, step, decisive):
    ids = ids_for(Resource.CATALOG)
    built = []
    for specs in roles:
        role = role_with_criteria(acme, [])
        for ctype, tokens in specs:
            make_criterion(acme, Resource.CATALOG, ctype, [ids[t] for t in tokens], code=f"c-{ctype}-{tokens}",
                           roles=[role])
        built.append(role)
    user = make_user(acme, privileges=[Privilege.CATALOG], roles=built)
    decision = policies.decide(user, Resource.CATALOG, ids["T"], Action.UPDATE)
    assert decision.step == step
    assert [e.criterion_code for e in decision.decisive] == decisive
    assert decision.privilege == Privilege.CATALOG
    assert decision.reason.startswith("May not" if not decision.allowed else "May ")


def test_rules_are_loaded_once_per_user_instance(acme, django_assert_num_queries):
    role = role_with_criteria(acme, [(Resource.CATALOG, "grant", ["A"]), (Resource.PRICE_GROUP, "deny", ["B"])])
    user = make_user(acme, privileges=[Privilege.CATALOG], roles=[role])
    with django_assert_num_queries(2):  # access rights, then criteria
        for i in range(50):
            policies.decide(user, Resource.CATALOG, f"X{i}", Action.UPDATE)
            policies.decide(user, Resource.PRICE_GROUP, f"X{i}", Action.DELETE)
    make_criterion(acme, Resource.CATALOG, "grant", ["X1"], roles=[role])
    assert not policies.can_change(user, Resource.CATALOG, "X1", Action.UPDATE)  # still the cached rules
    policies.forget(user)
    assert policies.can_change(user, Resource.CATALOG, "X1", Action.UPDATE)


def test_criteria_of_another_org_never_apply(acme, globex):
    user = make_user(acme, privileges=[Privilege.CATALOG])
    make_criterion(globex, Resource.CATALOG, "grantNone")
    assert policies.can_change(user, Resource.CATALOG, "Anything", Action.UPDATE)


def test_platform_staff_act_as_admin_without_criteria(platform_staff):
    decision = policies.decide(platform_staff, Resource.CATALOG, "Any", Action.DELETE)
    assert decision.allowed and decision.step == Step.NO_CRITERIA


def test_compile_rules_keeps_one_entry_per_role_and_criterion():
    rows = [
        ("r1", "Role 1", "c1", "C1", Resource.CATALOG.value, "grant", ["A", "B"]),
        ("r1", "Role 1", "c1", "C1", Resource.CATALOG.value, "grant", ["C"]),  # a second constraint
        ("r2", "Role 2", "c1", "C1", Resource.CATALOG.value, "grant", ["A", "B"]),
        ("r2", "Role 2", "c2", "C2", Resource.CATALOG.value, "grantNone", None),
    ]
    rules = policies.compile_rules(rows)[Resource.CATALOG.value]
    assert [(e.role_code, e.criterion_code) for e in rules.entries] == [("r1", "c1"), ("r2", "c1"), ("r2", "c2")]
    assert rules.entries[0].values == {"A", "B", "C"}
    assert [e.role_code for e in rules.granted["A"]] == ["r1", "r2"]
    assert len(rules.grant_nones) == 1


def test_page_and_explainer_access(acme):
    admin = make_user(acme, privileges=[Privilege.ADMIN])
    catalog = make_user(acme, privileges=[Privilege.CATALOG])
    other = make_user(acme, privileges=[Privilege.CATALOG])
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    assert policies.can_view_assets(admin) and policies.can_view_assets(catalog)
    assert not policies.can_view_assets(csr)
    assert policies.can_manage_criteria(admin) and not policies.can_manage_criteria(catalog)
    assert policies.can_explain_for(admin, other) and policies.can_explain_for(catalog, catalog)
    assert not policies.can_explain_for(catalog, other) and not policies.can_explain_for(csr, csr)
