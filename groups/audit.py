"""How the audit log shows a change of a group's permission cells: the resource's name, the API and the
permission, off → on, one row per permission that changed."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from accessadmin.audit_display import DiffRow

from . import selectors

_APIS = {"data": "Data", "config": "Config"}


def _flag(value) -> str:
    return "on" if value else "off"


# The resources a page has already read, so that its history names them without reading them again.
_known_resources: ContextVar[list | None] = ContextVar("groups_audit_resources", default=None)


@contextmanager
def resources_read(resources: list) -> Iterator[None]:
    """While rendering inside this block, permission_diffs() names the resources from `resources` (the page's
    own selectors.resource_list()) instead of querying them: the page's query count then does not depend on
    whether its history shows a permission change."""
    token = _known_resources.set(resources)
    try:
        yield
    finally:
        _known_resources.reset(token)


def permission_diffs(events) -> None:
    """Sets `diff` on each group.permission event: "Customer · Data · Read: off → on" (at most one query for
    all; none inside resources_read())."""
    resources = _known_resources.get()
    names = {r.key: r.name for r in (selectors.resource_list() if resources is None else resources)}
    for event in events:
        before, after = event.before or {}, event.after or {}
        resource = after.get("resource") or before.get("resource")
        api = after.get("api") or before.get("api")
        where = f"{names.get(resource, resource)} · {_APIS.get(api, api)}"
        event.context = ""
        event.diff = [DiffRow(f"{where} · {permission.capitalize()}", _flag(before.get(permission)),
                              _flag(after.get(permission)))
                      for permission in ("read", "write")
                      if bool(before.get(permission)) != bool(after.get(permission))]
