"""The warm path: what authentication loaded from the database, kept per process and used without any
round trip while the org's change counters (accessadmin.versions) say nothing changed.

An entry is tagged with the counters read *before* its row was loaded. A write commits, then bumps the
counters (and bumps them inside its transaction too); so an entry whose tag still equals the counters
was loaded after every write that has returned, and a request never decides on data older than a change
made before it was sent. The org of a key (a till code, a token) is only known once its row is loaded:
the first load of a key (or a key whose row moved to another org) reads the counters of that org and
loads again, so it costs two queries once per process.

Entries also expire after ENFORCEMENT_CACHE_SECONDS: rows changed behind the application's back (raw
SQL, a restored backup) are read again within that time. Unknown keys are never kept.
"""

import time
from dataclasses import dataclass, field

from django.conf import settings

from accessadmin import versions

MAX_ENTRIES = 100_000


def max_age() -> float:
    return float(getattr(settings, "ENFORCEMENT_CACHE_SECONDS", 60))


@dataclass(slots=True)
class Loaded:
    """What a loader found for a key: the org it belongs to and whatever the caller keeps for it."""

    org_id: int
    value: object
    state: dict = field(default_factory=dict)  # per-process mutable state of the entry (e.g. next touch)


@dataclass(slots=True)
class _Entry:
    stamp: tuple
    deadline: float
    loaded: Loaded


class WarmCache:
    """Maps a key to what `load(key)` returns (a Loaded, or None for an unknown key)."""

    def __init__(self, load):
        self.load = load
        self.entries: dict = {}

    def get(self, key) -> Loaded | None:
        """Returns the Loaded for `key`, from memory when its org is unchanged, else loaded again.
        Raises what the loader raises (database down) and versions.Unavailable (counters unreachable)."""
        entry = self.entries.get(key)
        if entry is not None:
            if time.monotonic() < entry.deadline and versions.stamp(entry.loaded.org_id) == entry.stamp:
                return entry.loaded
            org_id = entry.loaded.org_id
        else:
            org_id = None
        loaded = None
        for _ in range(3):
            stamp = versions.stamp(org_id) if org_id is not None else None
            loaded = self.load(key)
            if loaded is None:
                self.entries.pop(key, None)
                return None
            if stamp is not None and loaded.org_id == org_id:
                if len(self.entries) >= MAX_ENTRIES:
                    self.entries.clear()  # rare (more live keys than that in one process): start over
                self.entries[key] = _Entry(stamp, time.monotonic() + max_age(), loaded)
                return loaded
            org_id = loaded.org_id  # first sight of the key: the counters read were not its org's
        return loaded  # the key keeps moving between orgs: use this load once, keep nothing

    def clear(self) -> None:
        self.entries.clear()
