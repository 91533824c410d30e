"""What the domain apps bring to the core, registered in their AppConfig.ready().

The core imports no domain app. Each app tells it here about its navigation links, dashboard counts,
URL patterns, sections of other apps' pages, searchable objects, audit types, role fields, error codes
and demo data; the core's pages, URLconf, API and commands read these lists (Wagtail's hooks, made
explicit). Registration runs once per process, in INSTALLED_APPS order; `order` numbers keep what
people see stable whatever that order is.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import import_module
from typing import Any

from django.utils.safestring import SafeString, mark_safe

# --- navigation ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavLink:
    section: str
    label: str
    url_name: str
    policy: Callable[[Any], bool]  # policy(user) -> may the user open the page
    order: int = 0


_nav_sections: dict[str, int] = {}
_nav_links: list[NavLink] = []


def register_nav_section(title: str, *, order: int) -> None:
    """Declares a section of the side navigation; sections are shown by `order`."""
    _nav_sections[title] = order


def register_nav(*links: NavLink) -> None:
    for link in links:
        if link.section not in _nav_sections:
            raise ValueError(f"Navigation section {link.section!r} is not registered.")
        _nav_links.append(link)


def nav_sections() -> list[tuple[str, list[NavLink]]]:
    """Returns every section (by order) with its links (by order, then registration)."""
    by_section: dict[str, list[NavLink]] = {title: [] for title in sorted(_nav_sections, key=_nav_sections.get)}
    for link in sorted(_nav_links, key=lambda link: link.order):
        by_section[link.section].append(link)
    return [(title, links) for title, links in by_section.items() if links]


# --- dashboard ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DashboardTile:
    """A count on the dashboard that links to a page. A tile is shown only to users whom `policy(user)` lets
    open that page (no tile leads to a 403), and `count(org=..., actor=...)` counts only what that user may
    see there (a store manager's stores, not the org's)."""

    label: str
    url_name: str
    policy: Callable[[Any], bool]
    count: Callable[..., int]
    order: int = 0


_dashboard: list[DashboardTile] = []


def register_dashboard(*tiles: DashboardTile) -> None:
    _dashboard.extend(tiles)


def dashboard_tiles(*, org, actor) -> list[tuple[str, int, str]]:
    """Returns (label, count, url name) of the tiles `actor` may open, by order (then registration)."""
    return [(tile.label, tile.count(org=org, actor=actor), tile.url_name)
            for tile in sorted(_dashboard, key=lambda tile: tile.order) if tile.policy(actor)]


# --- URLs ---------------------------------------------------------------------------------------------------


class Mount(StrEnum):
    """Where an app's URL patterns go in the project's URLconf."""

    HOT = "hot"                # machine-facing paths resolved first (the gateway check, the till API)
    PAGES = "pages"            # server-rendered pages under "/"
    API_V1 = "api_v1"          # /api/v1/
    CCADMIN_V1 = "ccadmin_v1"  # /ccadmin/v1/


@dataclass(frozen=True)
class Routes:
    mount: Mount
    patterns: str              # "package.module" (its urlpatterns) or "package.module:attribute"
    prefix: str = ""
    namespace: str | None = None


_routes: list[Routes] = []


def register_urls(mount: Mount, patterns: str, *, prefix: str = "", namespace: str | None = None) -> None:
    """Adds an app's URL patterns under `mount`. Apps that register the same (prefix, namespace) share
    one include, so an app may add pages to another app's URL namespace (e.g. "stores:usage")."""
    _routes.append(Routes(Mount(mount), patterns, prefix, namespace))


def _load(dotted: str) -> list:
    module, _, attribute = dotted.partition(":")
    return list(getattr(import_module(module), attribute or "urlpatterns"))


def routes(mount: Mount) -> list[tuple[str, str | None, list]]:
    """Returns (prefix, namespace, patterns) for `mount`, in registration order; the patterns of every
    registration with the same prefix and namespace are joined, in registration order."""
    joined: dict[tuple[str, str | None], list] = {}
    for entry in _routes:
        if entry.mount == mount:
            joined.setdefault((entry.prefix, entry.namespace), []).extend(_load(entry.patterns))
    return [(prefix, namespace, patterns) for (prefix, namespace), patterns in joined.items()]


# --- sections of other apps' pages ----------------------------------------------------------------------------

# render(request, obj) -> HTML
SectionRenderer = Callable[[Any, Any], str]
_sections: dict[str, list[tuple[int, SectionRenderer]]] = {}


def register_section(page: str, render: SectionRenderer, *, order: int = 0) -> None:
    """Adds a section to the page `page` (e.g. "groups.group_detail"), rendered with its object."""
    _sections.setdefault(page, []).append((order, render))


def render_sections(page: str, request, obj) -> list[SafeString]:
    """Returns the HTML of every section registered for `page`, by order (the renderers escape)."""
    return [mark_safe(render(request, obj))  # noqa: S308 - renderers return rendered templates
            for _order, render in sorted(_sections.get(page, []), key=lambda entry: entry[0])]


# --- search -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    kind: str        # the provider's kind, e.g. "store"
    label: str       # what to show
    url: str         # where the object's page is
    detail: str = ""


@dataclass(frozen=True)
class SearchProvider:
    """Searchable objects of one kind. `search(actor=, org=, query=, limit=)` returns SearchHits the
    actor may see (nothing at all when the actor may not use that kind), at most `limit`."""

    kind: str
    label: str
    search: Callable[..., list[SearchHit]]
    order: int = 0
    # Who may search this kind at all (the header offers only those kinds); None: `search` alone decides.
    # Pass the policy of the kind's menu link: the layout asks it once per request for both.
    policy: Callable[[Any], bool] | None = None


_search: list[SearchProvider] = []


def register_search(provider: SearchProvider) -> None:
    if any(p.kind == provider.kind for p in _search):
        raise ValueError(f"A search provider for {provider.kind!r} is registered already.")
    _search.append(provider)


def search_providers() -> list[SearchProvider]:
    return sorted(_search, key=lambda p: p.order)


def search(*, actor, org, query: str, limit: int = 10) -> list[tuple[SearchProvider, list[SearchHit]]]:
    """Returns (provider, hits) for every provider with hits for `query`, by order. A blank query finds
    nothing; every provider decides what the actor may see."""
    query = (query or "").strip()
    if not query or org is None:
        return []
    found = []
    for provider in search_providers():
        if provider.policy is not None and not provider.policy(actor):
            continue
        hits = provider.search(actor=actor, org=org, query=query, limit=limit)
        if hits:
            found.append((provider, list(hits)[:limit]))
    return found


# --- audit --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditType:
    """How the audit log names the events about one model (its `target_type`, e.g. "groups.accessgroup")."""

    target_type: str
    label: str


_audit_types: dict[str, AuditType] = {}


def register_audit_type(target_type: str, label: str) -> None:
    _audit_types[target_type] = AuditType(target_type, label)


def audit_types() -> list[AuditType]:
    """Returns every registered audit type, by label."""
    return sorted(_audit_types.values(), key=lambda t: t.label)


_audit_actions: dict[str, str] = {}
# action → fn(events) that sets `event.diff` on each event of that action (one query at most per call).
_audit_diffs: dict[str, Callable[[list], None]] = {}


def register_audit_action(action: str, label: str) -> None:
    """Names an audit action for people ("group.permission" → "Access group permission changed")."""
    _audit_actions[action] = label


def audit_action_label(action: str) -> str:
    """Returns the registered label of `action`, else one made from its words ("till.rotate_secret" →
    "Till: rotate secret")."""
    if action in _audit_actions:
        return _audit_actions[action]

    def words(text: str) -> str:
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text).replace("_", " ").replace(".", " ").lower()
    head, _, verb = action.rpartition(".")
    noun = words(head or verb)
    noun = noun[:1].upper() + noun[1:]
    return f"{noun}: {words(verb)}" if head else noun


def register_audit_diff(action: str, render: Callable[[list], None]) -> None:
    """Registers how events of `action` show their change: `render(events)` sets `event.diff` (a list of
    accessadmin.audit_display.DiffRow) on each, in a constant number of queries for the whole list."""
    _audit_diffs[action] = render


def audit_diff_renderer(action: str) -> Callable[[list], None] | None:
    return _audit_diffs.get(action)


def audit_type_label(target_type: str) -> str:
    """Returns the registered label of `target_type`, else `target_type` itself."""
    found = _audit_types.get(target_type)
    return found.label if found is not None else target_type


# --- fields other apps add to a role (the commerce admin API's /ccadmin/v1/adminRoles) ------------------------


@dataclass(frozen=True)
class RoleField:
    """A field of the role resource that another app owns (e.g. the criteria app's securityCriteria).

    input_field()       a DRF serializer field for the role's input
    output_field()      a DRF serializer field that documents its output (OpenAPI)
    payload(role)       its value in the role's output (from prefetched rows)
    prefetch()          what role reads prefetch for `payload` (a Prefetch or a lookup)
    apply(actor=, role=, value=)   writes the input value, in the role write's transaction
    """

    name: str
    input_field: Callable[[], Any]
    output_field: Callable[[], Any]
    payload: Callable[[Any], Any]
    prefetch: Callable[[], Any]
    apply: Callable[..., Any]


_role_fields: list[RoleField] = []


def register_role_field(role_field: RoleField) -> None:
    _role_fields.append(role_field)


def role_fields() -> Sequence[RoleField]:
    return tuple(_role_fields)


# --- error codes --------------------------------------------------------------------------------------------

_error_enums: list[type] = []


def register_error_codes(*enums: type) -> None:
    """Adds an app's error code enums (accessadmin.errors.ErrorCode subclasses) to the reference."""
    for enum in enums:
        if enum not in _error_enums:
            _error_enums.append(enum)


def error_code_enums() -> Sequence[type]:
    return tuple(_error_enums)


# --- demo data ----------------------------------------------------------------------------------------------

# seed(orgs={code: Org}) -> None, idempotent; notes: lines `manage.py seed_demo` prints about the data
_demos: list[tuple[int, Callable[..., None], tuple[str, ...]]] = []


def register_demo(seed: Callable[..., None], *, order: int, notes: Iterable[str] = ()) -> None:
    _demos.append((order, seed, tuple(notes)))


def demo_seeders() -> list[Callable[..., None]]:
    """Returns the apps' demo seeders by order (an app's data may need another's: tills need stores)."""
    return [seed for _order, seed, _notes in sorted(_demos, key=lambda entry: entry[0])]


def demo_notes() -> list[str]:
    """Returns what the apps say about their demo data (logins, secrets), by order."""
    return [line for _order, _seed, notes in sorted(_demos, key=lambda entry: entry[0]) for line in notes]


@dataclass
class _Snapshot:
    """Everything registered, for tests that register something and must put the lists back."""

    lists: dict = field(default_factory=dict)


def snapshot() -> _Snapshot:
    return _Snapshot({name: _copy(value) for name, value in _state().items()})


def restore(saved: _Snapshot) -> None:
    for name, value in _state().items():
        value.clear()
        if isinstance(value, dict):
            value.update(saved.lists[name])
        else:
            value.extend(saved.lists[name])


def _state() -> dict[str, Any]:
    return {"nav_sections": _nav_sections, "nav_links": _nav_links, "dashboard": _dashboard, "routes": _routes,
            "sections": _sections, "search": _search, "audit_types": _audit_types, "role_fields": _role_fields,
            "audit_actions": _audit_actions, "audit_diffs": _audit_diffs,
            "error_enums": _error_enums, "demos": _demos}


def _copy(value: Iterable):
    return dict(value) if isinstance(value, dict) else list(value)
