"""The rule of a rollout plan, as pure functions (no database).

**Least set of cells.** Each kind of request a store's tills (or an API client) made counts as the one cell
the decision checks for it: (resource, part, permission) with GET, HEAD and OPTIONS needing *read* and POST,
PUT, PATCH and DELETE needing *write* (groups.policies.permission_for_method). Write does not imply read and
read does not imply write: tills that only register customers get "Customer W", exactly what they used. A
request of an unknown method, of a path outside the catalogue (no resource) or of a resource the catalogue no
longer has maps to no cell; no group allows it, so the plan lists it among the requests it would deny.

**Covering built-in.** A set of cells that a built-in group of `COVERING_BUILTINS` contains gets that built-in
group instead of a new one; when several do, the least wide (fewest cells) wins: Instore (customer data write)
before POS (customer, transaction, points and coupon data, read and write). Admin (every cell) never counts as
covering: it is no least privilege. Else, when one of the org's active custom groups holds exactly the set
(a plan applied before made it, or the brand did), that group. Any other set gets a new custom group holding
exactly that set; stores (and clients) with equal sets share it, named from its content ("Customer RW +
Points RW"), renameable before the plan is applied.
"""

from groups.builtins import INSTORE, POS
from groups.cells import APIS
from groups.policies import permission_for_method

COVERING_BUILTINS = (INSTORE, POS)
NAME_MAX = 100

Grant = tuple[str, str, str]


def cell_of(resource: str, api: str, method: str, known: frozenset) -> Grant | None:
    """Returns the cell a request needs, or None when no group can allow it (unknown method, path or resource)."""
    permission = permission_for_method(method)
    if permission is None or resource not in known or api not in APIS:
        return None
    return (resource, api, permission)


def covering_builtin(cells: frozenset, builtins: list[tuple[object, frozenset]]):
    """Returns the least wide of `builtins` ([(group, its grants)]) whose grants contain `cells`, else None."""
    covering = [(len(grants), getattr(group, "name", ""), group) for group, grants in builtins if cells <= grants]
    if not covering:
        return None
    return min(covering, key=lambda entry: (entry[0], entry[1]))[2]


def name_for(cells: frozenset, resources) -> str:
    """Returns a group name made from its content, in catalogue order: "Customer RW + Points RW + Store config R".
    A name longer than NAME_MAX ends with "+ N more"."""
    parts = []
    for resource in resources:
        for api in APIS:
            read, write = (resource.key, api, "read") in cells, (resource.key, api, "write") in cells
            if read or write:
                flags = ("R" if read else "") + ("W" if write else "")
                parts.append(f"{resource.name} {flags}" if api == "data" else f"{resource.name} config {flags}")
    name = " + ".join(parts)
    if len(name) <= NAME_MAX:
        return name
    for keep in range(len(parts) - 1, 0, -1):
        name = " + ".join(parts[:keep]) + f" + {len(parts) - keep} more"
        if len(name) <= NAME_MAX:
            return name
    return f"{len(parts)} cells"


def unique_name(base: str, taken: set[str]) -> str:
    """Returns `base`, or `base (2)`, `base (3)` … : the first whose lowercase is not in `taken` (which it joins)."""
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[:NAME_MAX - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def as_strings(cells) -> list[str]:
    """Returns the cells as sorted "resource/api/permission" strings (how a plan stores them)."""
    return sorted("/".join(cell) for cell in cells)


def from_strings(values) -> frozenset:
    return frozenset(tuple(value.split("/")) for value in values)
