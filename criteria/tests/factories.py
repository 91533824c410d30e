"""Test data for the criteria app, made through the services (the front door for writes)."""

from accessadmin.models import Role, User
from accessadmin.privileges import Privilege
from accessadmin.testing import make_role, make_user

from .. import services
from ..resources import Resource

OTHER = {Resource.CATALOG: Resource.PRICE_GROUP, Resource.PRICE_GROUP: Resource.CATALOG}
API_PATHS = {Resource.CATALOG: "/ccadmin/v1/catalogs", Resource.PRICE_GROUP: "/ccadmin/v1/priceListGroups"}
PAGE_PATHS = {Resource.CATALOG: "/catalog/catalogs", Resource.PRICE_GROUP: "/catalog/price-groups"}


def org_admin(org) -> User:
    """Returns an administrator of `org` to act as in setup (created once per org)."""
    user = User.objects.filter(org=org, username=f"{org.code}-setup-admin").first()
    return user or make_user(org, username=f"{org.code}-setup-admin", privileges=[Privilege.ADMIN])


def make_asset(org, resource: Resource, code: str, *, display_name: str | None = None):
    return services.asset_create(actor=org_admin(org), org=org, resource=resource, code=code,
                                 display_name=display_name or code, description=f"{code} description")


def make_criterion(org, resource: Resource, constraint_type: str, values=(), *, code: str | None = None,
                   roles=()):
    n = make_criterion.counter = getattr(make_criterion, "counter", 0) + 1
    return services.criterion_create(
        actor=org_admin(org), org=org, code=code or f"crit{n}", name=f"Criterion {n}",
        resource=resource.value, constraint_type=constraint_type,
        constraints=[{"values": list(values)}] if values or constraint_type != "grantNone" else [],
        roles=[r.code for r in roles])


def role_with_criteria(org, criteria_specs) -> Role:
    """Returns a new role holding criteria made from (resource, constraint type, values) triples."""
    role = make_role(org)
    for resource, ctype, values in criteria_specs:
        make_criterion(org, resource, ctype, values, roles=[role])
    return role


# --- the decision matrix, shared by the policy, API and page tests ------------------------------
# Each scenario: (id, privilege or None, roles: list of lists of (constraint type, value tokens), allowed).
# Tokens: T = the item acted on, O and P = other items; a type ending in "@other" is a criterion on the
# other resource (catalog ↔ price group), which must not affect the decision.
SCENARIOS = [
    ("no_privilege", None, [], False),
    ("no_privilege_even_with_a_grant", None, [[("grant", "T")]], False),
    ("privilege_without_criteria", Privilege.CATALOG, [], True),
    ("grant_names_item", Privilege.CATALOG, [[("grant", "T")]], True),
    ("grant_names_another", Privilege.CATALOG, [[("grant", "O")]], False),
    ("deny_names_item", Privilege.CATALOG, [[("deny", "T")]], False),
    ("grant_none", Privilege.CATALOG, [[("grantNone", "")]], False),
    ("grant_and_deny_same_item_two_roles", Privilege.CATALOG, [[("grant", "T")], [("deny", "T")]], False),
    ("grant_and_deny_same_item_one_role", Privilege.CATALOG, [[("grant", "T"), ("deny", "T")]], False),
    ("grants_from_two_roles", Privilege.CATALOG, [[("grant", "O")], [("grant", "T")]], True),
    ("grants_from_two_roles_neither_names_it", Privilege.CATALOG, [[("grant", "O")], [("grant", "P")]], False),
    ("grant_none_plus_grant", Privilege.CATALOG, [[("grantNone", "")], [("grant", "T")]], True),
    ("grant_none_plus_grant_of_another", Privilege.CATALOG, [[("grantNone", "")], [("grant", "O")]], False),
    ("denies_only", Privilege.CATALOG, [[("deny", "O")], [("deny", "P")]], True),
    ("criteria_on_the_other_resource_only", Privilege.CATALOG, [[("grantNone@other", "")]], True),
    ("admin_without_criteria", Privilege.ADMIN, [], True),
    ("admin_is_limited_by_criteria_too", Privilege.ADMIN, [[("deny", "T")]], False),
]


def ids_for(resource: Resource) -> dict[str, str]:
    prefix = "Cat" if resource == Resource.CATALOG else "Plg"
    return {"T": f"{prefix}Target", "O": f"{prefix}Other", "P": f"{prefix}Third"}


def scenario_user(org, resource: Resource, privilege, roles_spec) -> User:
    """Returns a user holding `privilege` and one role per entry of `roles_spec`."""
    ids = ids_for(resource)
    roles = []
    for specs in roles_spec:
        triples = []
        for ctype, tokens in specs:
            target = resource
            if ctype.endswith("@other"):
                ctype, target = ctype.removesuffix("@other"), OTHER[resource]
            triples.append((target, ctype, [ids[t] for t in tokens]))
        roles.append(role_with_criteria(org, triples))
    return make_user(org, privileges=[privilege] if privilege else [], roles=roles)
