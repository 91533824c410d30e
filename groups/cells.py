"""Permission cells as values: parsing, payloads, diffs.

A cell grant is the triple (resource key, api, permission) with api in
{"data", "config"} and permission in {"read", "write"}. A group's grants are a
frozenset of such triples; anything absent is not granted.
"""

from collections.abc import Iterable

from accessadmin.errors import InvalidInput

from .errors import GroupsErrorCode
from .models import Api

PERMISSIONS = ("read", "write")
APIS = (Api.DATA.value, Api.CONFIG.value)

Grant = tuple[str, str, str]


def parse(items, resource_keys: Iterable[str]) -> frozenset[Grant]:
    """Returns the grants of an API/form payload: a list of {"resource","api","read","write"}.

    Raises InvalidInput (changing nothing) for unknown resources, bad apis,
    non-boolean flags or the same (resource, api) twice.
    """
    known = set(resource_keys)
    if not isinstance(items, list):
        raise InvalidInput("permissions must be a list of cells.", code=GroupsErrorCode.INVALID_PERMISSIONS,
                           fields={"permissions": ["Expected a list."]})
    seen, grants, unknown = set(), set(), []
    for item in items:
        if not isinstance(item, dict):
            raise InvalidInput("Each permission cell must be an object.", code=GroupsErrorCode.INVALID_PERMISSIONS,
                               fields={"permissions": ["Expected objects."]})
        resource, api = item.get("resource"), item.get("api")
        if not isinstance(resource, str) or resource not in known:
            unknown.append(str(resource))
            continue
        if api not in APIS:
            raise InvalidInput(f"api must be 'data' or 'config', not {api!r}.",
                               code=GroupsErrorCode.INVALID_PERMISSIONS,
                               fields={"permissions": [f"Bad api {api!r}."]})
        if (resource, api) in seen:
            raise InvalidInput(f"The cell {resource}/{api} is given twice.", code=GroupsErrorCode.DUPLICATE_CELL,
                               fields={"permissions": [f"{resource}/{api} twice."]})
        seen.add((resource, api))
        for permission in PERMISSIONS:
            value = item.get(permission, False)
            if not isinstance(value, bool):
                raise InvalidInput(f"{permission} must be true or false.", code=GroupsErrorCode.INVALID_PERMISSIONS,
                                   fields={"permissions": [f"{resource}/{api}: {permission} must be a boolean."]})
            if value:
                grants.add((resource, api, permission))
    if unknown:
        raise InvalidInput(f"Unknown resource: {', '.join(sorted(set(unknown)))}.",
                           code=GroupsErrorCode.UNKNOWN_RESOURCE,
                           fields={"permissions": [f"Unknown resource: {', '.join(sorted(set(unknown)))}"]})
    return frozenset(grants)


def from_form(post_keys: Iterable[str], resource_keys: Iterable[str]) -> frozenset[Grant]:
    """Returns the grants of the page form, whose checkboxes are named `cell:<resource>:<api>:<permission>`."""
    known = set(resource_keys)
    grants = set()
    for key in post_keys:
        parts = key.split(":")
        if len(parts) == 4 and parts[0] == "cell" and parts[1] in known and parts[2] in APIS \
                and parts[3] in PERMISSIONS:
            grants.add((parts[1], parts[2], parts[3]))
    return frozenset(grants)


def of_group(group, resources) -> frozenset[Grant]:
    """Returns the group's grants; `group.cells` should be prefetched, `resources` is the catalogue."""
    if group.grants_all:
        return frozenset((r.key, api, p) for r in resources for api in APIS for p in PERMISSIONS)
    grants = set()
    for cell in group.cells.all():
        key = cell.resource.key
        if cell.read:
            grants.add((key, cell.api, "read"))
        if cell.write:
            grants.add((key, cell.api, "write"))
    return frozenset(grants)


def payload(grants: frozenset[Grant], resources) -> list[dict]:
    """Returns the API's `permissions` list: one entry per (resource, api) that grants something."""
    rows = []
    for r in resources:
        for api in APIS:
            read, write = (r.key, api, "read") in grants, (r.key, api, "write") in grants
            if read or write:
                rows.append({"resource": r.key, "api": api, "read": read, "write": write})
    return rows


def matrix(grants: frozenset[Grant], resources) -> list[dict]:
    """Returns one row per resource with its four checkboxes, for the pages."""
    return [{"resource": r, **{f"{api}_{p}": (r.key, api, p) in grants for api in APIS for p in PERMISSIONS}}
            for r in resources]


def diff(before: frozenset[Grant], after: frozenset[Grant]) -> dict:
    """Returns {"added": [...], "removed": [...]} as sorted "resource/api/permission" strings."""
    return {"added": sorted("/".join(g) for g in after - before),
            "removed": sorted("/".join(g) for g in before - after)}


def write_without_read(grants: frozenset[Grant]) -> list[str]:
    """Returns "resource/api" of every cell that may write but not read (allowed, but worth a warning)."""
    return sorted(f"{r}/{api}" for r, api, p in grants if p == "write" and (r, api, "read") not in grants)
