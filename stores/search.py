"""Searchable stores and tills (accessadmin.registry.SearchProvider)."""

from django.urls import reverse

from accessadmin.registry import SearchHit

from . import selectors
from .policies import can_manage_tills


def stores(*, actor, org, query: str, limit: int) -> list[SearchHit]:
    """Returns the stores `actor` may see whose code, name or city contains `query`."""
    found = selectors.store_list(actor=actor, org=org, search=query)[:limit]
    return [SearchHit("store", f"{s.code} · {s.name}", reverse("stores:detail", args=[s.code]), s.city)
            for s in found]


def tills(*, actor, org, query: str, limit: int) -> list[SearchHit]:
    """Returns the org's tills whose code or store code contains `query` (till managers only)."""
    if not can_manage_tills(actor):
        return []
    found = selectors.till_list(org=org, search=query)[:limit]
    return [SearchHit("till", t.code, reverse("stores:till", args=[t.code]), t.store.code) for t in found]
