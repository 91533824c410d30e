"""Tenancy: which org a request acts in, and scoping querysets to it.

A user of an org always acts in that org. Platform staff have no org of their
own; they pick one (stored in the session for pages, `X-Org` header for the
API). Every selector scopes through `scope()` or `get_scoped_or_404()`, so an
object of another org is indistinguishable from a missing one.
"""

from django.db.models import QuerySet
from django.http import Http404

from .models import Org
from .policies import is_platform_staff

SESSION_ORG_KEY = "active_org_id"


def org_for(user, *, session=None, header: str | None = None) -> Org | None:
    """Returns the org `user` acts in, or None (anonymous, or staff who has not picked one)."""
    if user is None or not user.is_authenticated:
        return None
    if user.org_id is not None:
        return user.org
    if not is_platform_staff(user):
        return None
    if header:
        return Org.objects.filter(code=header).first()
    if session is not None and session.get(SESSION_ORG_KEY):
        return Org.objects.filter(pk=session[SESSION_ORG_KEY]).first()
    return None


class OrgMiddleware:
    """Sets `request.org` (lazily) for page requests; the API computes it after token auth."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.org = org_for(request.user, session=request.session)
        return self.get_response(request)


def current_org(request) -> Org | None:
    """Returns the org of a page or API request (works after DRF authentication too)."""
    user = getattr(request, "user", None)
    header = request.META.get("HTTP_X_ORG") if hasattr(request, "META") else None
    session = getattr(request, "session", None)
    return org_for(user, session=session, header=header)


def scope(queryset: QuerySet, org: Org | None, field: str = "org") -> QuerySet:
    """Returns `queryset` limited to `org`'s rows; nothing at all when there is no org."""
    if org is None:
        return queryset.none()
    return queryset.filter(**{field: org})


def get_scoped_or_404(queryset: QuerySet, org: Org | None, field: str = "org", **lookup):
    """Returns the one object of `org` matching `lookup`; 404 when missing or another org's."""
    try:
        return scope(queryset, org, field).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("Not found.") from None
