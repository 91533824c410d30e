"""Searchable access groups (accessadmin.registry.SearchProvider)."""

from django.urls import reverse

from accessadmin.registry import SearchHit

from .models import AccessGroup
from .policies import can_manage_groups


def groups(*, actor, org, query: str, limit: int) -> list[SearchHit]:
    """Returns the groups `org` sees (its own and the built-in ones) whose name contains `query`."""
    if not can_manage_groups(actor):
        return []
    found = AccessGroup.objects.visible_to(org).filter(name__icontains=query).order_by("name")[:limit]
    return [SearchHit("access_group", g.name, reverse("groups:detail", args=[g.pk]), g.kind) for g in found]
