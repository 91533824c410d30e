"""Reads of stores, limited to what the actor may see."""

from django.db.models import Q
from django.http import Http404
from guardian.shortcuts import get_users_with_perms

from accessadmin import limits
from accessadmin.models import Org
from accessadmin.tenancy import scope

from .models import ApiClient, Store, Till
from .policies import stores_visible


def store_list(*, actor, org: Org, search: str = "", group: str = ""):
    """Returns the stores `actor` may see. `group` is a group id, "none" (default) or empty (all)."""
    qs = stores_visible(actor, org).select_related("access_group")
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search) | Q(city__icontains=search))
    if group == "none":
        qs = qs.filter(access_group__isnull=True)
    elif group:
        pk = int(group) if group.isascii() and group.isdigit() else None
        # An id no column can hold matches nothing (SQLite would raise on it rather than answer).
        qs = qs.filter(access_group_id=pk) if pk is not None and pk <= limits.BIGINT_MAX else qs.none()
    return qs.order_by("code")


def store_get(*, actor, org: Org, code: str) -> Store:
    """Returns the store `actor` may see; 404 when missing, another org's or not delegated."""
    store = store_list(actor=actor, org=org).filter(code=code).first()
    if store is None:
        raise Http404("Not found.")
    return store


def api_clients_using_group(*, group) -> list[dict]:
    """Returns [{"id", "name", "client_id"}] of the active API clients acting with `group`, by name."""
    return list(ApiClient.objects.filter(access_group=group, is_active=True).order_by("name", "pk")
                .values("id", "name", "client_id"))


def store_managers(store: Store):
    """Returns the users holding the per-store grant (not the privilege holders)."""
    return get_users_with_perms(store, only_with_perms_in=["manage_store"], with_superusers=False,
                                with_group_users=False).order_by("username")


def stores_by_codes(*, actor, org: Org, codes) -> tuple[list[Store], list[str]]:
    """Returns (visible stores with those codes, codes not found among them)."""
    codes = list(dict.fromkeys(str(c) for c in codes))
    found = {s.code: s for s in stores_visible(actor, org).filter(code__in=codes)}
    return [found[c] for c in codes if c in found], [c for c in codes if c not in found]


def dashboard_counts(*, org: Org) -> list[tuple[str, int, str]]:
    return [("Stores", scope(Store.objects.all(), org).count(), "stores:list"),
            ("Active tills", scope(Till.objects.filter(is_active=True), org).count(), "stores:tills")]

