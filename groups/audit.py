"""How the audit log shows a change of a group's permission cells: the resource's name, the API and the
permission, off → on, one row per permission that changed."""

from accessadmin.audit_display import DiffRow

from . import selectors

_APIS = {"data": "Data", "config": "Config"}


def _flag(value) -> str:
    return "on" if value else "off"


def permission_diffs(events) -> None:
    """Sets `diff` on each group.permission event: "Customer · Data · Read: off → on" (one query for all)."""
    names = {r.key: r.name for r in selectors.resource_list()}
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
