"""The core's searchable objects: the users of the org (accessadmin.registry.SearchProvider)."""

from django.db.models import Q
from django.urls import reverse

from . import policies
from .models import User
from .registry import SearchHit
from .tenancy import scope


def users(*, actor, org, query: str, limit: int) -> list[SearchHit]:
    """Returns the org's users whose username, email or name contains `query` (identity admins only)."""
    if not policies.can_manage_identity(actor):
        return []
    found = (scope(User.objects.all(), org)
             .filter(Q(username__icontains=query) | Q(email__icontains=query) | Q(first_name__icontains=query)
                     | Q(last_name__icontains=query))
             .order_by("username")[:limit])
    return [SearchHit("user", u.username, reverse("users:edit", args=[u.pk]), u.email) for u in found]
