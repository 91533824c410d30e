"""The usage log: every decision is counted per caller, resource, part, method and outcome.

Counting costs a dictionary update under a lock; nothing is written on the request's path. Each
process flushes its counters to UsageRecord rows (one upsert per distinct key) when they are older than
USAGE_FLUSH_SECONDS, when a page or the API reads the log, and when the process exits. A process that
is killed loses at most that many seconds of counts — acceptable for a usage log, which is not audit.
"""

import atexit
import logging
import threading
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from .caller import Caller
from .models import UsageRecord
from .policies import Decision

log = logging.getLogger(__name__)

FLUSH_SECONDS = getattr(settings, "USAGE_FLUSH_SECONDS", 10)
MAX_KEYS = 5000
METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})

_lock = threading.Lock()
_counts: dict[tuple, list] = {}
_next_flush = time.monotonic() + FLUSH_SECONDS


def count(caller: Caller, decision: Decision, method: str) -> None:
    """Counts one decision (cheap); flushes this process's counters when they are due."""
    method = method.upper()
    if method not in METHODS:
        method = "OTHER"  # the gateway passes the client's method through: keep the key space small
    key = (caller.org_id, caller.kind, caller.code, caller.store_code, decision.resource, decision.api,
           method, decision.outcome, caller.group_name, timezone.now().date())
    now = time.time()
    with _lock:
        entry = _counts.get(key)
        if entry is None:
            _counts[key] = [1, now]
        else:
            entry[0] += 1
            entry[1] = now
        due = time.monotonic() >= _next_flush or len(_counts) >= MAX_KEYS
    if due:
        flush()


def _take() -> dict:
    global _counts, _next_flush
    with _lock:
        taken, _counts = _counts, {}
        _next_flush = time.monotonic() + FLUSH_SECONDS
    return taken


def _put_back(taken: dict) -> None:
    with _lock:
        for key, (n, seen) in taken.items():
            entry = _counts.setdefault(key, [0, seen])
            entry[0] += n
            entry[1] = max(entry[1], seen)


def flush() -> int:
    """Writes this process's counters to the database; returns how many keys were written.

    Database down: every counter is kept for the next try. A key the database refuses for another
    reason is logged and dropped, so one bad row cannot hold the rest back forever."""
    taken = _take()
    written = 0
    items = sorted(taken.items(), key=lambda kv: str(kv[0]))
    for i, (key, (n, seen)) in enumerate(items):
        try:
            with transaction.atomic():
                _upsert(key, n, seen)
            written += 1
        except (OperationalError, InterfaceError):
            log.warning("usage log flush failed; keeping %d counters for the next try", len(items) - i)
            _put_back(dict(items[i:]))
            break
        except DatabaseError:
            log.exception("usage log: dropping a counter the database refused: %r", key)
    return written


def _upsert(key: tuple, n: int, seen: float) -> None:
    org_id, kind, caller, store_code, resource, api, method, outcome, group, day = key
    seen_at = datetime.fromtimestamp(seen, tz=UTC)
    lookup = dict(org_id=org_id, caller_kind=kind, caller=caller, store_code=store_code, resource=resource,
                  api=api, method=method, outcome=outcome, access_group=group, day=day)
    updated = UsageRecord.objects.filter(**lookup).update(count=F("count") + n,
                                                          last_seen_at=Greatest(F("last_seen_at"), seen_at))
    if updated:
        return
    try:
        with transaction.atomic():
            UsageRecord.objects.create(**lookup, count=n, last_seen_at=seen_at)
    except IntegrityError:
        # Another process inserted the same key in between: add to its row.
        UsageRecord.objects.filter(**lookup).update(count=F("count") + n)


def reset() -> None:
    """Drops unflushed counters (tests)."""
    _take()


def _flush_at_exit() -> None:
    try:
        flush()
    except Exception:  # noqa: BLE001 - the interpreter is going away; never raise from atexit
        pass


atexit.register(_flush_at_exit)
