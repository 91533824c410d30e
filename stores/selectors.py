"""Reads of stores (limited to what the actor may see), tills and API clients (scoped to one org)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_users_with_perms
from oauth2_provider.models import AccessToken

from accessadmin import limits
from accessadmin.models import AuditEvent, Org
from accessadmin.tenancy import get_scoped_or_404, scope
from groups import cells as cellsmod
from groups import selectors as group_selectors

from .models import ApiClient, Store, Till
from .policies import stores_visible

# --- the effective group of a store (and of its tills) -------------------------------------------------------


@dataclass(frozen=True)
class EffectiveGroup:
    group: Any         # the access group the store's tills act with
    source: str        # "store" (allocated to the store) or "org_default" (the org's default group)

    @property
    def inherited(self) -> bool:
        return self.source == "org_default"


def effective_group(store: Store, *, default=None) -> EffectiveGroup:
    """Returns the group a store and its tills act with: the store's own group, else the org's default.

    The one home of that rule (in SQL: effective_group_id_sql). `default` is the org's default group when
    the caller has read it already (once per request, never per row); otherwise it is read when needed.
    """
    if store.access_group_id:
        return EffectiveGroup(store.access_group, "store")
    return EffectiveGroup(default if default is not None else group_selectors.default_group(org=store.org_id),
                          "org_default")


def effective_group_id_sql(*, store: str, org_id: str) -> tuple[str, list]:
    """Returns (SQL expression, params) for the id of the effective group of the store row aliased `store`
    of the org whose id is the SQL expression `org_id`: effective_group() in SQL (the enforcement query)."""
    default_sql, params = group_selectors.default_group_id_sql(org_id=org_id)
    return f"COALESCE({store}.access_group_id, {default_sql})", params


# --- stores ---------------------------------------------------------------------------------------------------

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


def store_search(*, actor, org: Org, text: str = "", limit: int = 20) -> list[dict]:
    """Returns up to `limit` + 1 of the stores `actor` may see whose code or name contains `text`, by code, as
    {"code", "name", "group"} (the group's name or None): the matches of a search-as-you-type field. One query,
    walking the (org, code) index in order and stopping after `limit` + 1 matches."""
    qs = stores_visible(actor, org)
    if text:
        qs = qs.filter(Q(code__icontains=text) | Q(name__icontains=text))
    return list(qs.order_by("code").values("code", "name", group=F("access_group__name"))[:limit + 1])


def store_get(*, actor, org: Org, code: str) -> Store:
    """Returns the store `actor` may see; 404 when missing, another org's or not delegated."""
    store = store_list(actor=actor, org=org).filter(code=code).first()
    if store is None:
        raise Http404("Not found.")
    return store


def group_stores(*, org: Org, group, search: str = ""):
    """Returns the org's stores allocated to `group` (an access group)."""
    qs = scope(Store.objects.all(), org).filter(access_group=group)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search) | Q(city__icontains=search))
    return qs.order_by("code")


def store_managers(store: Store):
    """Returns the users holding the per-store grant (not the privilege holders)."""
    return get_users_with_perms(store, only_with_perms_in=["manage_store"], with_superusers=False,
                                with_group_users=False).order_by("username")


def stores_by_codes(*, actor, org: Org, codes) -> tuple[list[Store], list[str]]:
    """Returns (visible stores with those codes, codes not found among them)."""
    codes = list(dict.fromkeys(str(c) for c in codes))
    found = {s.code: s for s in stores_visible(actor, org).filter(code__in=codes)}
    return [found[c] for c in codes if c in found], [c for c in codes if c not in found]


def allocation_preview(*, actor, org: Org, group, codes, shown: int = 20) -> dict:
    """Returns where the stores named by `codes` come from before they are allocated to `group`:
    {"origins": [{"group", "inherited", "count", "stores" (the first `shown`), "more"}], by count then name,
     "moving": n, "unchanged": [stores already in `group`], "missing": [codes not among the actor's stores]}.
    Stores without a group come from the org's default group (`inherited`). Two queries whatever the count."""
    codes = list(dict.fromkeys(str(c) for c in codes))
    found = {}
    for start in range(0, len(codes), 2000):
        chunk = codes[start:start + 2000]
        found.update({s.code: s for s in stores_visible(actor, org).filter(code__in=chunk)
                      .select_related("access_group").order_by("code")})
    default = None
    origins: dict[int | None, dict] = {}
    unchanged = []
    for code in sorted(found):
        store = found[code]
        if store.access_group_id == group.pk:
            unchanged.append(store)
            continue
        if store.access_group_id is None and default is None:
            default = group_selectors.default_group(org=org)
        origin = origins.setdefault(store.access_group_id, {
            "group": store.access_group or default, "inherited": store.access_group_id is None,
            "count": 0, "stores": []})
        origin["count"] += 1
        if len(origin["stores"]) < shown:
            origin["stores"].append(store)
    ordered = sorted(origins.values(), key=lambda o: (-o["count"], o["group"].name.lower()))
    for origin in ordered:
        origin["more"] = origin["count"] - len(origin["stores"])
    return {"origins": ordered, "moving": sum(o["count"] for o in ordered), "unchanged": unchanged,
            "missing": [c for c in codes if c not in found]}


# --- tills and API clients ---------------------------------------------------------------------------------

def till_list(*, org: Org, store: Store | None = None, search: str = ""):
    qs = scope(Till.objects.all(), org).select_related("store", "store__access_group")
    if store is not None:
        qs = qs.filter(store=store)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(store__code__icontains=search))
    return qs.order_by("code")


def till_get(*, org: Org, code: str) -> Till:
    """Returns the org's till; 404 for a missing one or another org's."""
    return get_scoped_or_404(Till.objects.select_related("store", "store__access_group"), org, code=code)


def effective_permissions(*, org: Org, till: Till) -> dict:
    """Returns what the till may do and why: its group, where the group comes from, and the cells."""
    store = till.store
    effective = effective_group(store)
    group, source = effective.group, effective.source
    if effective.inherited:
        why = f"Store {store.code} has no access group, so it uses the organization's default, {group.name}."
    else:
        why = f"Store {store.code} is allocated to {group.name}."
    resources = group_selectors.resource_list()
    group = group_selectors.group_get(org=org, pk=group.pk)
    grants = cellsmod.of_group(group, resources)
    notes = []
    if not till.is_active:
        notes.append("The till is deactivated: every request is refused with 401.")
    if not org.basic_auth_enabled:
        notes.append("Basic authentication is turned off for the organization: every till request gets 401.")
    if org.enforcement_mode == Org.EnforcementMode.REPORT_ONLY:
        notes.append("The organization runs in report-only mode: denied requests pass and are logged.")
    return {"till": till.code, "store": store.code, "active": till.is_active,
            "access_group": {"id": group.pk, "name": group.name, "kind": group.kind},
            "source": source, "why": why, "grants_all": group.grants_all,
            "permissions": cellsmod.payload(grants, resources), "matrix": cellsmod.matrix(grants, resources),
            "notes": notes}


def api_client_list(*, org: Org, search: str = ""):
    qs = scope(ApiClient.objects.all(), org).select_related("access_group", "created_by")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(client_id__icontains=search))
    return qs.order_by("-is_active", "name")


def api_client_get(*, org: Org, pk) -> ApiClient:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = -1
    return get_scoped_or_404(ApiClient.objects.select_related("access_group"), org, pk=pk)


def api_client_token_count(*, client: ApiClient) -> int:
    """Returns how many unexpired access tokens the client's OAuth2 application holds (0 once revoked)."""
    if not client.application_id:
        return 0
    return AccessToken.objects.filter(application_id=client.application_id, expires__gt=timezone.now()).count()


def store_for_till(*, org: Org, code: str) -> Store:
    """Returns the org's store a new till goes to; 404 for a missing one or another org's."""
    return get_scoped_or_404(Store.objects.all(), org, code=code or "")


def till_history(*, org: Org, till: Till):
    """Returns the org's audit events about `till`, newest first."""
    return scope(AuditEvent.objects.all(), org).filter(target_type="stores.till", target_id=str(till.pk))


# --- the till API's Config API lists (the caller is a till or API client of the org) ------------------------

CONFIG_LIST_LIMIT = 1000


def org_store_list(*, org: Org):
    """Returns the org's stores (at most CONFIG_LIST_LIMIT), with their groups."""
    return Store.objects.filter(org=org).select_related("access_group").order_by("code")[:CONFIG_LIST_LIMIT]


def org_till_list(*, org: Org):
    """Returns the org's tills (at most CONFIG_LIST_LIMIT), with their stores."""
    return Till.objects.filter(org=org).select_related("store").order_by("code")[:CONFIG_LIST_LIMIT]


def store_count(*, org: Org, actor) -> int:
    """Returns how many stores `actor` may see: the org's, or only those delegated to a store manager."""
    return stores_visible(actor, org).count()


def active_till_count(*, org: Org, actor=None) -> int:
    return scope(Till.objects.filter(is_active=True), org).count()

