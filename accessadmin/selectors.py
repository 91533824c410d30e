"""Reads of the core, always scoped to one org."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from . import registry
from .models import AccessRight, AuditEvent, Org, Role, User
from .tenancy import get_scoped_or_404, scope


def user_list(*, org: Org, search: str = "", role: str = "", is_active: bool | None = None):
    qs = scope(User.objects.all(), org).prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("name")))
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(email__icontains=search)
                       | Q(first_name__icontains=search) | Q(last_name__icontains=search))
    if role:
        qs = qs.filter(roles__code=role)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs.order_by("username")


def user_get(*, org: Org, pk) -> User:
    return get_scoped_or_404(User.objects.prefetch_related("roles"), org, pk=pk)


def _role_field_prefetches() -> list:
    """What the fields other apps add to a role need prefetched (accessadmin.registry.RoleField)."""
    return [field.prefetch() for field in registry.role_fields()]


def role_list(*, org: Org, search: str = ""):
    qs = scope(Role.objects.all(), org).prefetch_related(
        Prefetch("access_rights", queryset=AccessRight.objects.order_by("code")), *_role_field_prefetches(),
    ).annotate(user_count=Count("users", distinct=True))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search) | Q(description__icontains=search))
    return qs.order_by("name")


def role_get(*, org: Org, code: str) -> Role:
    return get_scoped_or_404(Role.objects.prefetch_related("access_rights", *_role_field_prefetches()),
                             org, code=code)


def access_right_list(*, org: Org, search: str = "", type: str = ""):
    qs = AccessRight.objects.for_org(org) if org is not None else AccessRight.objects.none()
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    if type:
        qs = qs.filter(type=type)
    return qs.order_by("type", "code")


def access_right_get(*, org: Org, code: str) -> AccessRight:
    """Returns a built-in access right or one of `org`'s; 404 otherwise."""
    ar = access_right_list(org=org).filter(code=code).first()
    if ar is None:
        raise Http404("Not found.")
    return ar


def audit_list(*, org: Org, target_type: str = "", target_id: str = "", actor=None, action: str = "",
               since=None, until=None):
    """Returns the org's audit events, newest first: of one object type and object, by one person (`actor`, a
    user), of one action, at or after `since` and before `until` (aware datetimes), as given."""
    qs = scope(AuditEvent.objects.select_related("actor"), org)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=str(target_id))
    if actor is not None:
        qs = qs.filter(actor=actor)
    if action:
        qs = qs.filter(action=action)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    return qs


def audit_actions(*, org: Org) -> list[str]:
    """Returns the actions the org's audit log holds, for its filter."""
    return list(scope(AuditEvent.objects.all(), org).order_by("action").values_list("action", flat=True).distinct())


def user_count(*, org: Org, actor=None) -> int:
    """Returns how many users the org has (a dashboard tile, for those who manage identity)."""
    return scope(User.objects.all(), org).count()


def role_count(*, org: Org, actor=None) -> int:
    return scope(Role.objects.all(), org).count()
