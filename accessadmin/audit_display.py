"""How audit events read for people: the action's label, the object's kind, and one row per changed value
("Customer · Data · Read: off → on"), never internal codes or raw JSON.

Apps register labels (`registry.register_audit_action`) and, where a change needs names the core cannot know
(a resource's name for its key), a renderer (`registry.register_audit_diff`) that describes a whole page of
events of one action at once, so a page of any length costs the same queries.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from . import registry

_MISSING = object()
# Keys that identify rather than describe: left out of the rows (the name beside them says the same).
_ID_KEYS = frozenset({"id", "pk"})


@dataclass(frozen=True)
class DiffRow:
    label: str
    before: str
    after: str


def plain(value) -> str:
    """Returns a stored value as words: "—" for nothing, yes/no, lists joined by commas."""
    if value is None or value is _MISSING:
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list):
        return ", ".join(plain(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{humanize(k)}: {plain(v)}" for k, v in value.items()) or "(none)"
    return str(value)


def humanize(key: str) -> str:
    """Returns a stored key as words: "access_group" → "Access group", "readSecurityLevel" → "Read security
    level"."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", str(key)).replace("_", " ").strip().lower()
    return words[:1].upper() + words[1:]


def generic_diff(before, after) -> tuple[str, list[DiffRow]]:
    """Returns (context, rows): the values both sides share ("Store: acme-s001"), and a row per value that
    changed."""
    if not isinstance(before, dict | None) or not isinstance(after, dict | None):
        return "", [DiffRow("Value", plain(before), plain(after))] if before != after else []
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*after.keys(), *before.keys()]))
    context, rows = [], []
    for key in keys:
        if key in _ID_KEYS:
            continue
        old, new = before.get(key, _MISSING), after.get(key, _MISSING)
        if old == new:
            context.append(f"{humanize(key)}: {plain(old)}")
        else:
            rows.append(DiffRow(humanize(key), plain(old), plain(new)))
    return " · ".join(context), rows


def describe(events) -> list:
    """Returns `events` as a list, each with `action_label`, `type_label`, `context` and `diff` (DiffRows)."""
    events = list(events)
    by_action = defaultdict(list)
    for event in events:
        event.action_label = registry.audit_action_label(event.action)
        event.type_label = registry.audit_type_label(event.target_type)
        event.context, event.diff = generic_diff(event.before, event.after)
        by_action[event.action].append(event)
    for action, some in by_action.items():
        render = registry.audit_diff_renderer(action)
        if render is not None:
            render(some)
    return events


def as_text(event) -> str:
    """Returns a described event's change on one line, for CSV: "Read: off → on; Write: off → on"."""
    rows = "; ".join(f"{r.label}: {r.before} → {r.after}" for r in event.diff)
    return f"{event.context}; {rows}" if event.context and rows else (rows or event.context)
