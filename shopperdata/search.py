"""Searchable customers (shopper profiles), masked like every read (accessadmin.registry.SearchProvider)."""

from django.urls import reverse

from accessadmin.registry import SearchHit

from . import selectors
from .masking import present
from .policies import can_use_profiles


def customers(*, actor, org, query: str, limit: int) -> list[SearchHit]:
    """Returns the org's profiles matching `query` on properties the actor may read, shown as masked."""
    if not can_use_profiles(actor):
        return []
    plan = selectors.plan_for(actor=actor, org=org)
    hits = []
    for profile in selectors.profile_list(org=org, plan=plan, q=query)[:limit]:
        shown = present(selectors.profile_values(profile), plan)
        name = " ".join(str(shown[c]) for c in ("firstName", "lastName") if shown.get(c)) or f"Profile {profile.pk}"
        detail = " · ".join(str(shown[c]) for c in ("email", "mobile") if shown.get(c))
        hits.append(SearchHit("customer", name, reverse("shopperdata:profile-detail", args=[profile.pk]), detail))
    return hits
