"""Change counters of the data access decisions are made from: one per org, one for everything.

A process that keeps decision data in memory (enforcement's warm path) reads the org's counters before
each decision and uses its copy only while they still equal the values it read *before* it loaded that
copy from the database. Every write that can change a decision calls `changed(org_id)` (`None`: every
org, e.g. the API catalogue or a built-in group): the counter moves at once and again when the
transaction commits (`on_commit`), so a request that starts after the writer returned never sees data
older than the write, in any process that reads the same counters.

Where the counters live (settings.ENFORCEMENT_VERSION_BACKEND):

- "shm" (default): a file of SLOTS unsigned 64-bit counters in ENFORCEMENT_VERSION_DIR, mapped into the
  memory of every process of the host (created on demand, one file per database). Reading one is a
  memory load, no system call and no round trip. Orgs share a slot when their ids are equal modulo
  SLOTS - 1: a neighbour's change then costs one extra reload, never a stale decision. Writers
  increment under a file lock (flock) plus a thread lock. Good for every process on one host.
- "redis": the counters in Redis (ENFORCEMENT_VERSION_REDIS_URL, else REDIS_URL), both read with one
  MGET (one round trip per decision). Keeps the promise across hosts; when Redis cannot be reached no
  warm decision is made (503, like a database outage).

PostgreSQL NOTIFY (settings.ENFORCEMENT_NOTIFY, on PostgreSQL with "shm"): every commit that changed
something is also announced on a channel, and each process listens on a thread of its own, bumping a
local epoch that is part of the stamp. This is the second path: it carries changes made on *another*
host (an admin page served elsewhere, a task consumer) to this host's processes within milliseconds,
and covers a process whose counter file is not the writer's. It is asynchronous (the notification may
arrive after the next request), so it alone would not keep the promise; the shared counters do. While
the listener is disconnected every stamp changes (it bumps the epoch of everything when it reconnects).
"""

import fcntl
import hashlib
import logging
import mmap
import os
import threading
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .errors import Unavailable

log = logging.getLogger(__name__)

SLOTS = 1 << 16          # 512 KiB of counters
EVERYTHING = 0           # the slot of changes that concern every org
CHANNEL = "accessadmin_versions"


def slot_of(org_id: int | None) -> int:
    return EVERYTHING if org_id is None else 1 + int(org_id) % (SLOTS - 1)


def database_identity(settings_dict: dict) -> str:
    """Returns what names the database a connection serves (the counters belong to one database)."""
    return "|".join(str(settings_dict.get(k) or "") for k in ("ENGINE", "HOST", "PORT", "NAME"))


class SharedMemoryTable:
    """SLOTS counters in a file mapped into memory by every process of the host."""

    kind = "shm"

    def __init__(self, identity: str):
        directory = Path(getattr(settings, "ENFORCEMENT_VERSION_DIR", "") or Path(settings.BASE_DIR, "var", "versions"))
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / (hashlib.sha256(identity.encode()).hexdigest()[:20] + ".versions")
        self._open()

    def _open(self) -> None:
        size = SLOTS * 8
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if os.fstat(self.fd).st_size < size:
            os.ftruncate(self.fd, size)  # grows only: a racing creator never loses a counter
        self.map = mmap.mmap(self.fd, size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        # A native 'Q' view reads and writes each aligned 8-byte counter with one load or store: no torn values.
        self.counters = memoryview(self.map).cast("Q")
        self.lock = threading.Lock()
        self.pid = os.getpid()

    def read(self, slot: int) -> tuple[int, int]:
        counters = self.counters
        return counters[EVERYTHING], counters[slot]

    def bump(self, slot: int) -> None:
        if self.pid != os.getpid():
            self._open()  # a forked child must not share its parent's lock (flock is per open file)
        with self.lock:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            try:
                self.counters[slot] += 1
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)


class RedisTable:
    """The counters in Redis: keys `<prefix><slot>`, read with one MGET."""

    kind = "redis"

    def __init__(self, identity: str):
        import redis

        url = getattr(settings, "ENFORCEMENT_VERSION_REDIS_URL", "") or settings.REDIS_URL
        if not url:
            raise RuntimeError("ENFORCEMENT_VERSION_BACKEND=redis needs ENFORCEMENT_VERSION_REDIS_URL or REDIS_URL.")
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = "aa:versions:" + hashlib.sha256(identity.encode()).hexdigest()[:20] + ":"
        self.errors = (redis.RedisError, OSError)

    def read(self, slot: int) -> tuple:
        try:
            return tuple(self.client.mget(self.prefix + "0", self.prefix + str(slot)))
        except self.errors as exc:
            log.warning("version counters unreachable: %s", exc)
            raise Unavailable() from None

    def bump(self, slot: int) -> None:
        try:
            self.client.incr(self.prefix + str(slot))
        except self.errors as exc:
            log.error("version counters unreachable: %s", exc)
            raise Unavailable() from None


_tables: dict[tuple[str, str, str], object] = {}
_tables_lock = threading.Lock()
# The hot path's view of the configuration: (database NAME, table, whether NOTIFY applies). Resolved once,
# again when the database's NAME changes (a test database replacing the configured one) or a setting does.
_current: tuple | None = None
_db_settings: dict = {}


def _resolve() -> tuple:
    global _current, _db_settings
    _db_settings = connections[DEFAULT_DB_ALIAS].settings_dict
    tbl = table()
    _current = (_db_settings.get("NAME"), tbl, tbl.kind == "shm" and _notify_enabled())
    return _current


def table(alias: str = DEFAULT_DB_ALIAS):
    """Returns the counter table of the database `alias` names (opened on first use)."""
    backend = getattr(settings, "ENFORCEMENT_VERSION_BACKEND", "shm")
    where = (getattr(settings, "ENFORCEMENT_VERSION_REDIS_URL", "") if backend == "redis"
             else getattr(settings, "ENFORCEMENT_VERSION_DIR", ""))
    key = (backend, where, database_identity(connections[alias].settings_dict))
    found = _tables.get(key)
    if found is None:
        with _tables_lock:
            found = _tables.get(key)
            if found is None:
                found = (RedisTable if backend == "redis" else SharedMemoryTable)(key[2])
                _tables[key] = found
    return found


def stamp(org_id: int | None):
    """Returns the current counters of `org_id` (and of everything): read it *before* loading the data
    it will tag. Raises Unavailable when the counters cannot be read (Redis down). No system call and no
    round trip with "shm" (the hot path: a few hundred nanoseconds)."""
    current = _current
    if current is None or current[0] != _db_settings.get("NAME"):
        current = _resolve()
    slot = EVERYTHING if org_id is None else 1 + int(org_id) % (SLOTS - 1)
    if current[2] and _listener.wanted():
        counters = current[1].counters
        return counters[EVERYTHING], counters[slot], _epochs.get(EVERYTHING, 0), _epochs.get(slot, 0)
    return current[1].read(slot)


def _settings_changed(*, setting, **kwargs) -> None:
    global _current
    if setting.startswith("ENFORCEMENT_") or setting in ("DATABASES", "REDIS_URL"):
        _current = None


setting_changed.connect(_settings_changed, dispatch_uid="accessadmin.versions")


def changed(org_id: int | None) -> None:
    """Declares that decision data of `org_id` (None: of every org) changes in the current transaction.

    Bumps now (caches filled before this write are dropped) and again on commit (caches filled from the
    database while the transaction was open are dropped too); announces it on PostgreSQL when NOTIFY is on.
    """
    tbl = table()
    slot = slot_of(org_id)
    tbl.bump(slot)
    transaction.on_commit(lambda: _committed(tbl, slot))


def _committed(tbl, slot: int) -> None:
    try:
        tbl.bump(slot)
    except Unavailable:
        # Committed already: the bump made inside the transaction has dropped older copies; copies loaded
        # while it was open live until ENFORCEMENT_CACHE_SECONDS. Logged by the table.
        pass
    if tbl.kind == "shm" and _notify_enabled():
        try:
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(slot)])
        except Exception:  # noqa: BLE001 - the shared counters have done the work; NOTIFY is the second path
            log.warning("NOTIFY of a version change failed", exc_info=True)


def _notify_enabled() -> bool:
    return (getattr(settings, "ENFORCEMENT_NOTIFY", False)
            and connections[DEFAULT_DB_ALIAS].vendor == "postgresql")


# --- the NOTIFY listener: one thread per process -------------------------------------------------------------

_epochs: dict[int, int] = {}


class _Listener:
    def __init__(self):
        self.pid = None
        self.active = False  # this process listens (reset in a forked child)
        self.thread = None
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.connected = threading.Event()

    def wanted(self) -> bool:
        """Returns whether this process listens (starting the thread on first use, and after a fork)."""
        if self.active:
            return True
        if not _notify_enabled():
            return False
        with self.lock:
            if self.pid != os.getpid():
                self.stop_event = threading.Event()
                self.connected = threading.Event()
                self.thread = threading.Thread(target=self._run, args=(dict(connections[DEFAULT_DB_ALIAS]
                                                                            .settings_dict), self.stop_event),
                                               name="version-listener", daemon=True)
                self.pid = os.getpid()
                self.thread.start()
                self.active = True
        return True

    def _run(self, settings_dict: dict, stop: threading.Event) -> None:
        import psycopg

        params = {"dbname": settings_dict["NAME"], "user": settings_dict.get("USER") or None,
                  "password": settings_dict.get("PASSWORD") or None, "host": settings_dict.get("HOST") or None,
                  "port": settings_dict.get("PORT") or None}
        while not stop.is_set():
            try:
                with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True,
                                     connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    # Whatever was announced while nobody listened is unknown: every stamp changes.
                    _bump_epoch(EVERYTHING)
                    self.connected.set()
                    while not stop.is_set():
                        for notice in conn.notifies(timeout=0.5):
                            try:
                                _bump_epoch(int(notice.payload))
                            except ValueError:
                                _bump_epoch(EVERYTHING)
            except Exception:  # noqa: BLE001 - keep listening; the shared counters keep the promise meanwhile
                self.connected.clear()
                log.warning("version listener lost its connection; reconnecting", exc_info=True)
                stop.wait(1.0)
        self.connected.clear()

    def stop(self) -> None:
        """Stops this process's listener (tests: its connection must go before the test database does)."""
        with self.lock:
            self.stop_event.set()
            thread, self.thread, self.pid, self.active = self.thread, None, None, False
        if thread is not None:
            thread.join(timeout=5)


def _bump_epoch(slot: int) -> None:
    _epochs[slot] = _epochs.get(slot, 0) + 1


_listener = _Listener()


def start_listening(timeout: float = 5.0) -> bool:
    """Starts this process's listener now and returns whether it connected within `timeout` seconds."""
    if not _listener.wanted():
        return False
    return _listener.connected.wait(timeout)


def stop_listening() -> None:
    _listener.stop()


def _after_fork_in_child() -> None:
    _listener.pid = None
    _listener.thread = None
    _listener.active = False


os.register_at_fork(after_in_child=_after_fork_in_child)
