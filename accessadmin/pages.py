"""Helpers every app's page views use: privilege checks, org context, paging."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect

from .policies import is_platform_staff

PAGE_SIZE = 25


def page_view(policy=None):
    """Decorates a page view: login required, an org chosen, and `policy(user)` true (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if request.org is None:
                if is_platform_staff(request.user):
                    return redirect("org-switch")
                raise PermissionDenied("Your account belongs to no organization.")
            if policy is not None and not policy(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """Returns the requested page of `queryset` (bad page numbers give the nearest page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """Returns the current query string minus `page`, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
