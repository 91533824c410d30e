"""Writing audit events.

Events are written inside the caller's transaction rather than on commit (the
style guide's default): a change and its audit row then commit or roll back
together, so no committed change can lack its history.
"""

from .models import AuditEvent


def jsonable(value):
    """Returns `value` made safe for a JSONField (sets become sorted lists, others strings)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(jsonable(v) for v in value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def record(*, org, actor, action: str, target, before=None, after=None, target_type: str | None = None,
           target_id: str | None = None) -> AuditEvent:
    """Returns the saved event for `action` by `actor` on `target` (a model instance or None)."""
    return AuditEvent.objects.create(
        org=org,
        actor=actor if actor is not None and actor.pk else None,
        actor_repr=getattr(actor, "username", "") or "system",
        action=action,
        target_type=target_type or (target._meta.label_lower if target is not None else ""),
        target_id=str(target_id if target_id is not None else getattr(target, "pk", "")),
        target_repr=str(target)[:300] if target is not None else "",
        before=jsonable(before),
        after=jsonable(after),
    )


def record_many(events: list[dict]) -> None:
    """Writes many events in one query; each dict has record()'s keyword arguments."""
    rows = []
    for e in events:
        actor, target = e.get("actor"), e.get("target")
        rows.append(AuditEvent(
            org=e["org"],
            actor=actor if actor is not None and actor.pk else None,
            actor_repr=getattr(actor, "username", "") or "system",
            action=e["action"],
            target_type=e.get("target_type") or (target._meta.label_lower if target is not None else ""),
            target_id=str(e.get("target_id") if e.get("target_id") is not None else getattr(target, "pk", "")),
            target_repr=str(target)[:300] if target is not None else "",
            before=jsonable(e.get("before")),
            after=jsonable(e.get("after")),
        ))
    AuditEvent.objects.bulk_create(rows, batch_size=1000)
