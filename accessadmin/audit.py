"""Writing audit events, with who acted, whatever the door.

Events are written inside the caller's transaction rather than on commit (the
style guide's default): a change and its audit row then commit or roll back
together, so no committed change can lack its history.

Who acted (`Actor`): a person (a user of the pages, the APIs or the Django
admin), a till or an API client (the till API), a management command, or a
background task together with the person who started it. A service is told its
actor explicitly (`actor=` a user, or anything with `audit_actor()` such as the
till API's caller); where it is not (actor None, a system write), the event
records the actor of the surrounding door: `acting_as(...)` (a command, a
task, a till API request) sets it for everything inside. Only when nobody set
one is the actor "system".
"""

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .models import AuditEvent

ActorKind = AuditEvent.ActorKind


@dataclass(frozen=True)
class Actor:
    kind: str                 # an ActorKind
    label: str = ""           # the till's code, the API client's id, the command's or the task's name
    user: object = None       # the person: the user who acted, or who started the task

    @classmethod
    def command(cls, name: str) -> "Actor":
        return cls(ActorKind.COMMAND, name)

    @classmethod
    def task(cls, name: str, *, started_by=None) -> "Actor":
        return cls(ActorKind.TASK, name, started_by)

    @property
    def display(self) -> str:
        """What the audit log shows as "who"."""
        if self.kind == ActorKind.USER:
            return getattr(self.user, "username", "") or "system"
        if self.kind == ActorKind.SYSTEM:
            return "system"
        prefix = {ActorKind.TILL: "till", ActorKind.API_CLIENT: "client"}.get(self.kind, self.kind)
        shown = f"{prefix}:{self.label}"
        if self.user is not None:
            shown += f" ({self.user.username})"
        return shown[:150]


SYSTEM = Actor(ActorKind.SYSTEM)
_ambient: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Records `actor` on every event written inside, where the service was given no actor."""
    token = _ambient.set(actor)
    try:
        yield actor
    finally:
        _ambient.reset(token)


def begin_acting_as(actor: Actor):
    """Like acting_as() for a door that cannot wrap its work in a `with` (a DRF view between its
    authentication and its response); returns the token end_acting_as() takes."""
    return _ambient.set(actor)


def end_acting_as(token) -> None:
    _ambient.reset(token)


def current_actor() -> Actor | None:
    """Returns the actor of the surrounding door, if one was set."""
    return _ambient.get()


def resolve(actor) -> Actor:
    """Returns who acted: `actor` (an Actor, a user, or something with audit_actor()), else the door's."""
    if isinstance(actor, Actor):
        return actor
    audit_actor = getattr(actor, "audit_actor", None)
    if audit_actor is not None:
        return audit_actor()
    if actor is not None and getattr(actor, "pk", None):
        return Actor(ActorKind.USER, "", actor)
    return _ambient.get() or SYSTEM


def task(name: str):
    """Decorates a background task: what it writes is audited as the task `name` and as the person who
    started it, when whoever queued it passed `started_by_id=` (see started_by_id())."""

    def decorator(function):
        @functools.wraps(function)
        def run(*args, started_by_id: int | None = None, **kwargs):
            from .models import User

            starter = User.objects.filter(pk=started_by_id).first() if started_by_id else None
            with acting_as(Actor.task(name, started_by=starter)):
                return function(*args, **kwargs)

        return run

    return decorator


def started_by_id(actor=None) -> int | None:
    """Returns the id of the person a task queued now is started by: `actor` when it is a person, else the
    person behind the current door (a task started by a task keeps its person)."""
    user = resolve(actor).user
    return getattr(user, "pk", None)


def org_of(obj):
    """Returns the org an object belongs to (itself for an org), None for platform-wide objects."""
    from .models import Org

    if isinstance(obj, Org):
        return obj
    return getattr(obj, "org", None) if hasattr(obj, "org_id") else None


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


def _event(*, org, actor, action: str, target, before=None, after=None, target_type: str | None = None,
           target_id: str | None = None) -> AuditEvent:
    who = resolve(actor)
    user = who.user if who.user is not None and getattr(who.user, "pk", None) else None
    return AuditEvent(
        org=org,
        actor=user,
        actor_repr=who.display,
        actor_kind=who.kind,
        actor_label=who.label[:150],
        action=action,
        target_type=target_type or (target._meta.label_lower if target is not None else ""),
        target_id=str(target_id if target_id is not None else getattr(target, "pk", "")),
        target_repr=str(target)[:300] if target is not None else "",
        before=jsonable(before),
        after=jsonable(after),
    )


def record(*, org, actor, action: str, target, before=None, after=None, target_type: str | None = None,
           target_id: str | None = None) -> AuditEvent:
    """Returns the saved event for `action` by `actor` on `target` (a model instance or None)."""
    event = _event(org=org, actor=actor, action=action, target=target, before=before, after=after,
                   target_type=target_type, target_id=target_id)
    event.save()
    return event


def record_many(events: list[dict]) -> None:
    """Writes many events in one query; each dict has record()'s keyword arguments."""
    AuditEvent.objects.bulk_create([_event(**e) for e in events], batch_size=1000)


def record_each(*, org, actor, action: str, target, changes: list[tuple[object, object]]) -> int:
    """Writes one event per (before, after) pair of `changes`, all by `actor` doing `action` on `target`,
    and returns how many. Many-row writes (allocating 10,000 stores) use it: one COPY on PostgreSQL, one
    bulk INSERT elsewhere, instead of a model instance and a parameter list per event."""
    if not changes:
        return 0
    from django.db import connection
    from django.utils import timezone

    template = _event(org=org, actor=actor, action=action, target=target)
    if connection.vendor != "postgresql":
        events = []
        for before, after in changes:
            event = AuditEvent(**{f.attname: getattr(template, f.attname) for f in AuditEvent._meta.concrete_fields
                                  if not f.primary_key})
            event.before, event.after = jsonable(before), jsonable(after)
            events.append(event)
        AuditEvent.objects.bulk_create(events, batch_size=1000)
        return len(events)
    import json

    now = timezone.now()
    head = (template.org_id, template.actor_id, template.actor_repr, template.actor_kind, template.actor_label,
            template.action, template.target_type, template.target_id, template.target_repr)
    columns = ("org_id, actor_id, actor_repr, actor_kind, actor_label, action, target_type, target_id, "
               "target_repr, before, after, created_at")
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {AuditEvent._meta.db_table} ({columns}) FROM STDIN") as copy:
            for before, after in changes:
                copy.write_row((*head,
                                None if before is None else json.dumps(jsonable(before)),
                                None if after is None else json.dumps(jsonable(after)), now))
    return len(changes)
