"""Reads of this app, scoped to one org."""

from django.db.models import Prefetch, Q
from django.http import Http404

from accessadmin.models import Org, Role, User
from accessadmin.tenancy import get_scoped_or_404, scope

from .models import Catalog, PriceGroup, SecurityConstraint, SecurityCriterion
from .resources import Resource

ASSET_MODELS = {Resource.CATALOG: Catalog, Resource.PRICE_GROUP: PriceGroup}


def role_criteria_prefetch() -> Prefetch:
    """Prefetches a role's security criteria by id (what criteria.api.roles shows on a role)."""
    return Prefetch("security_criteria", queryset=SecurityCriterion.objects.order_by("code"))


def asset_list(*, org: Org, resource: Resource, search: str = ""):
    """Returns the org's catalogs or price groups, by id."""
    qs = scope(ASSET_MODELS[resource].objects.all(), org)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(display_name__icontains=search)
                       | Q(description__icontains=search))
    return qs.order_by("code")


def asset_get(*, org: Org, resource: Resource, code: str):
    """Returns one catalog or price group of `org`; 404 when missing or another org's."""
    return get_scoped_or_404(ASSET_MODELS[resource].objects.all(), org, code=code)


def asset_ids(*, org: Org, resource: Resource) -> list[str]:
    return list(scope(ASSET_MODELS[resource].objects.all(), org).order_by("code").values_list("code", flat=True))


def _criteria_qs():
    return SecurityCriterion.objects.prefetch_related(
        Prefetch("constraints", queryset=SecurityConstraint.objects.order_by("id")),
        Prefetch("roles", queryset=Role.objects.order_by("name")),
    )


def criterion_list(*, org: Org, search: str = "", resource: str = ""):
    """Returns the org's security criteria with their constraints and roles prefetched."""
    qs = scope(_criteria_qs(), org)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search) | Q(description__icontains=search))
    if resource:
        qs = qs.filter(resource=resource)
    return qs.order_by("code")


def criterion_get(*, org: Org, code: str) -> SecurityCriterion:
    return get_scoped_or_404(_criteria_qs(), org, code=code)


def org_user_get(*, org: Org, username: str) -> User:
    """Returns an active-or-not user of `org` by username; 404 otherwise."""
    user = scope(User.objects.all(), org).filter(username=username).first()
    if user is None:
        raise Http404("Not found.")
    return user


def org_users(*, org: Org):
    return scope(User.objects.all(), org).order_by("username")


def catalog_count(*, org: Org, actor=None) -> int:
    """Returns how many catalogs the org has (reads are never limited by criteria: all of them)."""
    return scope(Catalog.objects.all(), org).count()


def price_group_count(*, org: Org, actor=None) -> int:
    return scope(PriceGroup.objects.all(), org).count()


def criterion_count(*, org: Org, actor=None) -> int:
    return scope(SecurityCriterion.objects.all(), org).count()
