"""The file-moving engine of the `sftp-to-sftp` template (asyncio; no database access here).

`transfer()` runs on an event loop in a thread of its own. Everything that
touches the database is a plain function run by the caller's thread through a
`Bridge` (`await bridge.call(fn, ...)`), so the ORM stays on one thread and the
run's rows, its lock and its progress are written in one place (services).

Per file: stream the source through sha256 → [gpg decrypt] → [gpg encrypt] →
sha256 into a temporary name on the destination, then rename. Nothing is
written to local disk; the only local files are GnuPG's private keyrings,
removed after each file.
"""

import asyncio
import concurrent.futures
import hashlib
import logging
import posixpath
import queue
import re
import secrets
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import asyncssh

from . import pgp
from . import sftp as sftplib
from .errors import ConnectErrorCode
from .flow_templates import FileProcessor, FileRejected
from .sftp import Endpoint, RemoteFile, SftpError

logger = logging.getLogger(__name__)

PART_SUFFIX = ".connect-part"
DECRYPTED_SUFFIXES = (".pgp", ".gpg", ".asc")
ENCRYPTED_SUFFIX = ".pgp"

# File error codes (besides those of sftp.py and pgp.py).
DESTINATION_EXISTS = ConnectErrorCode.DESTINATION_EXISTS
STILL_CHANGING = ConnectErrorCode.STILL_CHANGING
INTERNAL_ERROR = ConnectErrorCode.INTERNAL_ERROR


@dataclass(frozen=True)
class Plan:
    """Everything a run needs, secrets included (kept out of repr())."""

    source: Endpoint
    source_path: str
    pattern: str
    recursive: bool
    destination: Endpoint
    destination_path: str
    create_directory: bool
    on_conflict: str
    after_success: str
    archive_path: str
    stable_seconds: int
    decrypt_secret: str = field(default="", repr=False)
    decrypt_passphrase: str = field(default="", repr=False)
    encrypt_public: str = field(default="", repr=False)
    encrypt_armor: bool = False
    encrypt_compress: bool = True
    attempts: int = 3
    backoff_seconds: float = 2.0
    stale_part_seconds: int = 120
    processor: FileProcessor | None = None  # the template's, when it processes files (flow_templates)
    context: dict = field(default_factory=dict)  # handed to the processor: org_id, dataflow_id, dataflow_name


@dataclass(frozen=True)
class Delivered:
    """An earlier delivery of the same source file, as the database remembers it."""

    source_handled: bool


@dataclass(frozen=True)
class Unconfirmed:
    """An upload that an interrupted run may or may not have renamed into place."""

    destination_name: str
    bytes_out: int
    sha256_out: str
    sha256_in: str


class Hooks:
    """The database side of a run, called through the bridge. Implemented by services."""

    def total(self, count: int) -> None: ...
    def delivered(self, f: RemoteFile) -> Delivered | None: ...
    def unconfirmed(self, f: RemoteFile) -> Unconfirmed | None: ...
    def started(self, f: RemoteFile) -> int: ...
    def progress(self, file_id: int, bytes_in: int, size: int) -> None: ...
    def committing(self, file_id: int, *, destination_name: str, bytes_in: int, bytes_out: int, sha256_in: str,
                   sha256_out: str) -> None: ...
    def delivered_now(self, file_id: int, f: RemoteFile, *, destination_name: str, digest: str,
                      remember_only: bool = False) -> None: ...
    def source_handled(self, f: RemoteFile) -> None: ...
    def skipped(self, f: RemoteFile, code: str, file_id: int | None = None) -> None: ...
    def failed(self, file_id: int, code: str, detail: str) -> None: ...


class Bridge:
    """Runs database functions on the thread that owns the database connection.

    The engine thread calls `await bridge.call(fn, *args)`; the owning thread
    sits in `serve()` and runs each function in turn, calling `tick()` about
    every `tick_seconds` in between (lease renewal). `post()` is fire-and-forget.
    """

    _STOP = object()

    def __init__(self):
        self._requests: queue.Queue = queue.Queue()
        self.abort = threading.Event()

    async def call(self, fn: Callable, *args, **kwargs):
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._requests.put((fn, args, kwargs, loop, future))
        return await future

    def post(self, fn: Callable, *args, **kwargs) -> None:
        self._requests.put((fn, args, kwargs, None, None))

    def stop(self) -> None:
        self._requests.put(self._STOP)

    def serve(self, *, tick: Callable[[], bool], tick_seconds: float) -> None:
        """Runs requests until stop(); when `tick()` returns False the engine is told to abort."""
        next_tick = time.monotonic() + tick_seconds
        while True:
            try:
                item = self._requests.get(timeout=max(0.05, next_tick - time.monotonic()))
            except queue.Empty:
                item = None
            if time.monotonic() >= next_tick:
                if not tick():
                    self.abort.set()
                next_tick = time.monotonic() + tick_seconds
            if item is None:
                continue
            if item is self._STOP:
                return
            fn, args, kwargs, loop, future = item
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # handed back to the engine, which decides
                if future is not None:
                    loop.call_soon_threadsafe(_settle, future, None, exc)
                else:
                    logger.exception("Connect+ progress update failed")
                continue
            if future is not None:
                loop.call_soon_threadsafe(_settle, future, result, None)


def _settle(future: asyncio.Future, result, exc) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)


class Aborted(Exception):
    """The run lost its lock (its lease ran out); another run owns the dataflow now."""


class RunFailed(Exception):
    """The run as a whole cannot go on (source unreachable, bad credentials, missing directory)."""

    def __init__(self, error: SftpError):
        self.code = error.code
        self.detail = error.detail
        super().__init__(str(error))


def destination_name(name: str, *, decrypt: bool, encrypt: bool) -> str:
    """Returns the delivered name: `.pgp`/`.gpg`/`.asc` removed on decryption, `.pgp` added on encryption."""
    head, base = posixpath.split(name)
    if decrypt:
        lower = base.lower()
        for suffix in DECRYPTED_SUFFIXES:
            if lower.endswith(suffix) and len(base) > len(suffix):
                base = base[: -len(suffix)]
                break
    if encrypt:
        base += ENCRYPTED_SUFFIX
    return posixpath.join(head, base) if head else base


def numbered(path: str, n: int) -> str:
    """Returns `dir/report (n).csv.pgp` for `dir/report.csv.pgp`."""
    head, base = posixpath.split(path)
    dot = base.find(".", 1)
    stem, ext = (base, "") if dot < 0 else (base[:dot], base[dot:])
    return posixpath.join(head, f"{stem} ({n}){ext}")


class _Counter:
    """Counts and hashes the chunks passing through. Hashing runs on a thread of its own (hashlib
    releases the GIL for large buffers), one chunk behind, so it overlaps the network work instead
    of adding to it: sha256 of every byte costs about 2 s per GB."""

    def __init__(self):
        self.bytes = 0
        self._sha = hashlib.sha256()
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="connect-sha256")
        self._pending: asyncio.Future | None = None

    async def wrap(self, chunks: AsyncIterator[bytes], on_chunk: Callable[[int], None] | None = None):
        loop = asyncio.get_running_loop()
        try:
            async for chunk in chunks:
                self.bytes += len(chunk)
                if self._pending is not None:
                    await self._pending
                self._pending = loop.run_in_executor(self._pool, self._sha.update, chunk)
                if on_chunk is not None:
                    on_chunk(self.bytes)
                yield chunk
            if self._pending is not None:
                await self._pending
                self._pending = None
        finally:
            self._pool.shutdown(wait=True)

    def hexdigest(self) -> str:
        return self._sha.hexdigest()


async def _rechunk(chunks: AsyncIterator[bytes], size: int = sftplib.CHUNK_SIZE) -> AsyncIterator[bytes]:
    """Joins small pieces (gpg hands out 1 MiB) into chunks of `size` for large SFTP writes."""
    buffer = bytearray()
    async for chunk in chunks:
        buffer += chunk
        if len(buffer) >= size:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


async def _write(session: sftplib.Session, path: str, chunks: AsyncIterator[bytes]) -> None:
    """Writes `chunks` to a new file at `path`, one chunk being written while the next is produced."""
    try:
        f = await session.sftp.open(path, "wb", block_size=sftplib.BLOCK_SIZE, max_requests=sftplib.MAX_REQUESTS)
    except asyncssh.Error as exc:
        raise sftplib.map_error(exc) from None
    offset = 0
    pending: asyncio.Task | None = None
    try:
        async for chunk in chunks:
            if pending is not None:
                await pending
            pending = asyncio.ensure_future(f.write(chunk, offset))
            offset += len(chunk)
        if pending is not None:
            await pending
            pending = None
    except asyncssh.Error as exc:
        raise sftplib.map_error(exc) from None
    finally:
        if pending is not None and not pending.done():
            pending.cancel()
        try:
            await f.close()
        except (asyncssh.Error, OSError):
            pass


async def _sha256_of(session: sftplib.Session, path: str) -> tuple[int, str]:
    sha, size = hashlib.sha256(), 0
    async for chunk in sftplib.read_chunks(session, path):
        sha.update(chunk)
        size += len(chunk)
    return size, sha.hexdigest()


class Transfer:
    def __init__(self, plan: Plan, bridge: Bridge, hooks: Hooks):
        self.plan = plan
        self.bridge = bridge
        self.hooks = hooks
        self.src: sftplib.Session | None = None
        self.dst: sftplib.Session | None = None

    # --- sessions, with retries for transient network errors -------------

    async def _connect(self, endpoint: Endpoint) -> sftplib.Session:
        for attempt in range(1, self.plan.attempts + 1):
            try:
                return await sftplib.open_session(endpoint)
            except SftpError as exc:
                if not exc.retryable or attempt == self.plan.attempts:
                    raise RunFailed(exc) from None
                await asyncio.sleep(self.plan.backoff_seconds * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    async def _open(self) -> None:
        if self.src is None:
            self.src = await self._connect(self.plan.source)
        if self.dst is None:
            self.dst = await self._connect(self.plan.destination)

    async def _close(self) -> None:
        for session in (self.src, self.dst):
            if session is not None:
                try:
                    await session.close()
                except (asyncssh.Error, OSError):
                    pass
        self.src = self.dst = None

    # --- the run ----------------------------------------------------------

    async def run(self) -> None:
        try:
            await self._open()
            await self._sweep_parts()
            files = await self._list()
            await self.bridge.call(self.hooks.total, len(files))
            for f in files:
                if self.bridge.abort.is_set():
                    raise Aborted()
                await self._one(f)
        finally:
            await self._close()

    async def _sweep_parts(self) -> None:
        """Removes temporary uploads a dead consumer left in the destination directory (older than a
        lease: no live run is still writing them)."""
        directory = self.dst.path(self.plan.destination_path)
        try:
            entries = await self.dst.sftp.readdir(directory)
        except asyncssh.Error:
            return  # missing directory: created (or reported) when the first file is delivered
        cutoff = time.time() - self.plan.stale_part_seconds
        for entry in entries:
            name = entry.filename if isinstance(entry.filename, str) else entry.filename.decode()
            if name.startswith(".") and name.endswith(PART_SUFFIX) and (entry.attrs.mtime or 0) < cutoff:
                await self._remove(self.dst, posixpath.join(directory, name))

    async def _list(self) -> list[RemoteFile]:
        directory = self.src.path(self.plan.source_path)
        try:
            files = await sftplib.list_files(self.src, directory, recursive=self.plan.recursive,
                                             skip_suffix=PART_SUFFIX)
        except SftpError as exc:
            raise RunFailed(exc) from None
        pattern = re.compile(self.plan.pattern or ".*")
        return [f for f in files if pattern.fullmatch(posixpath.basename(f.name))]

    async def _one(self, f: RemoteFile) -> None:
        if f.mtime > time.time() - self.plan.stable_seconds:
            await self.bridge.call(self.hooks.skipped, f, STILL_CHANGING)
            return
        earlier = await self.bridge.call(self.hooks.delivered, f)
        if earlier is not None:
            if not earlier.source_handled:
                await self._retrying(lambda: self._after_success(f), None)
            return
        file_id = await self.bridge.call(self.hooks.started, f)
        await self._retrying(lambda: self._deliver(f, file_id), file_id)

    async def _retrying(self, work, file_id: int | None) -> None:
        """Runs `work`; a network error reconnects and tries again with backoff, any other error
        fails this file alone."""
        for attempt in range(1, self.plan.attempts + 1):
            try:
                await self._open()
                await work()
                return
            except Aborted:
                raise
            except RunFailed as exc:
                if file_id is not None:
                    await self.bridge.call(self.hooks.failed, file_id, exc.code, exc.detail)
                raise
            except (SftpError, pgp.PgpError, FileRejected) as exc:
                retryable = isinstance(exc, SftpError) and exc.retryable
                if retryable and attempt < self.plan.attempts:
                    await self._close()
                    await asyncio.sleep(self.plan.backoff_seconds * 2 ** (attempt - 1))
                    continue
                if file_id is not None:
                    await self.bridge.call(self.hooks.failed, file_id, exc.code, exc.detail)
                return
            except (asyncssh.Error, OSError) as exc:
                mapped = sftplib.map_error(exc)
                if mapped.retryable and attempt < self.plan.attempts:
                    await self._close()
                    await asyncio.sleep(self.plan.backoff_seconds * 2 ** (attempt - 1))
                    continue
                if file_id is not None:
                    await self.bridge.call(self.hooks.failed, file_id, mapped.code, mapped.detail)
                return
            except Exception as exc:
                logger.exception("Connect+ file transfer failed unexpectedly")
                if file_id is not None:
                    await self.bridge.call(self.hooks.failed, file_id, INTERNAL_ERROR, type(exc).__name__)
                return

    def _final_path(self, name: str) -> str:
        return self.dst.path(self.plan.destination_path, name)

    async def _deliver(self, f: RemoteFile, file_id: int) -> None:
        plan = self.plan
        out_name = destination_name(f.name, decrypt=bool(plan.decrypt_secret), encrypt=False)
        if plan.processor is not None:
            out_name = plan.processor.output_name(out_name)
        out_name = destination_name(out_name, decrypt=False, encrypt=bool(plan.encrypt_public))
        final = self._final_path(out_name)

        # An interrupted run may have renamed its upload into place without recording it: if the file
        # there is byte for byte what that run uploaded, the file is delivered; never send it twice.
        unconfirmed = await self.bridge.call(self.hooks.unconfirmed, f)
        if unconfirmed is not None:
            path = self._final_path(unconfirmed.destination_name)
            if await sftplib.exists(self.dst, path):
                size, digest = await _sha256_of(self.dst, path)
                if size == unconfirmed.bytes_out and digest == unconfirmed.sha256_out:
                    await self.bridge.call(self.hooks.delivered_now, file_id, f,
                                           destination_name=unconfirmed.destination_name,
                                           digest=unconfirmed.sha256_in)
                    await self._after_success(f)
                    return

        directory = posixpath.dirname(final)
        if plan.create_directory or posixpath.dirname(out_name):
            await sftplib.makedirs(self.dst, directory)
        if await sftplib.exists(self.dst, final):
            if plan.on_conflict == "ignore":
                await self.bridge.call(self.hooks.skipped, f, DESTINATION_EXISTS, file_id)
                return
            if plan.on_conflict == "fail":
                raise SftpError(DESTINATION_EXISTS, "The destination already has a file of this name.")
            if plan.on_conflict == "rename":
                final, out_name = await self._free_name(final, out_name)

        temp = posixpath.join(directory, f".{posixpath.basename(final)}.{secrets.token_hex(4)}{PART_SUFFIX}")
        counter_in, counter_out = _Counter(), _Counter()
        last = [0.0]

        def report(done: int):
            now = time.monotonic()
            if now - last[0] >= 1.0:
                last[0] = now
                self.bridge.post(self.hooks.progress, file_id, done, f.size)
            if self.bridge.abort.is_set():
                raise Aborted()

        stream = counter_in.wrap(sftplib.read_chunks(self.src, self.src.path(plan.source_path, f.name)), report)
        if plan.decrypt_secret:
            stream = pgp.decrypt_stream(stream, secret_armored=plan.decrypt_secret,
                                        passphrase=plan.decrypt_passphrase)
        if plan.processor is not None:
            stream = plan.processor.process(stream, call=self.bridge.call, context=plan.context)
        if plan.encrypt_public:
            stream = pgp.encrypt_stream(stream, public_armored=plan.encrypt_public, armor=plan.encrypt_armor,
                                        compress=plan.encrypt_compress)
        transformed = bool(plan.decrypt_secret or plan.encrypt_public or plan.processor)
        if transformed:
            stream = counter_out.wrap(_rechunk(stream))
        else:
            counter_out = counter_in  # the same bytes: hash them once
        try:
            await _write(self.dst, temp, stream)
            # A file that changed while it was read waits for the next run, whole.
            now = await self.src.sftp.stat(self.src.path(plan.source_path, f.name))
            if (now.size or 0) != f.size or int(now.mtime or 0) != f.mtime or counter_in.bytes != f.size:
                await self._remove(self.dst, temp)
                await self.bridge.call(self.hooks.skipped, f, STILL_CHANGING, file_id)
                return
            await self.bridge.call(self.hooks.committing, file_id, destination_name=out_name,
                                   bytes_in=counter_in.bytes, bytes_out=counter_out.bytes,
                                   sha256_in=counter_in.hexdigest(), sha256_out=counter_out.hexdigest())
            out_name = await self._rename(temp, final, out_name)
        except BaseException:
            await self._remove(self.dst, temp)
            raise
        await self.bridge.call(self.hooks.delivered_now, file_id, f, destination_name=out_name,
                               digest=counter_in.hexdigest())
        await self._after_success(f)

    async def _free_name(self, final: str, out_name: str) -> tuple[str, str]:
        for n in range(1, 10000):
            candidate = numbered(final, n)
            if not await sftplib.exists(self.dst, candidate):
                return candidate, numbered(out_name, n)
        raise SftpError(DESTINATION_EXISTS, "No free name left at the destination.")

    async def _rename(self, temp: str, final: str, out_name: str) -> str:
        sftp = self.dst.sftp
        try:
            if self.plan.on_conflict == "replace":
                await sftp.posix_rename(temp, final)
                return out_name
            await sftp.rename(temp, final)
            return out_name
        except asyncssh.SFTPFileAlreadyExists:
            if self.plan.on_conflict != "rename":
                raise SftpError(DESTINATION_EXISTS, "The destination already has a file of this name.") from None
        except asyncssh.SFTPFailure:
            # SFTP v3 servers report "exists" as a generic failure: tell the cases apart by looking.
            if not await sftplib.exists(self.dst, final) or self.plan.on_conflict != "rename":
                raise SftpError(DESTINATION_EXISTS if await sftplib.exists(self.dst, final) else sftplib.SFTP_ERROR,
                                "The file could not be renamed into place.") from None
        except asyncssh.Error as exc:
            raise sftplib.map_error(exc) from None
        final, out_name = await self._free_name(final, out_name)
        try:
            await sftp.rename(temp, final)
        except asyncssh.Error as exc:
            raise sftplib.map_error(exc) from None
        return out_name

    async def _remove(self, session: sftplib.Session | None, path: str) -> None:
        if session is None:
            return
        try:
            await asyncio.wait_for(session.sftp.remove(path), 10)
        except (asyncssh.Error, OSError, TimeoutError):
            pass

    async def _after_success(self, f: RemoteFile) -> None:
        plan = self.plan
        source = self.src.path(plan.source_path, f.name)
        try:
            if plan.after_success == "delete":
                await self.src.sftp.remove(source)
            elif plan.after_success == "archive":
                target = self.src.path(plan.archive_path, f.name)
                await sftplib.makedirs(self.src, posixpath.dirname(target))
                if await sftplib.exists(self.src, target):
                    target = numbered(target, int(time.time()))
                await self.src.sftp.rename(source, target)
        except asyncssh.SFTPNoSuchFile:
            pass  # already moved or deleted (a retry after a lost connection)
        except asyncssh.Error as exc:
            raise sftplib.map_error(exc) from None
        await self.bridge.call(self.hooks.source_handled, f)


def transfer(plan: Plan, bridge: Bridge, hooks: Hooks) -> BaseException | None:
    """Runs the transfer on a new event loop in this thread; returns the exception that ended it, if any."""
    try:
        asyncio.run(Transfer(plan, bridge, hooks).run())
        return None
    except BaseException as exc:  # reported to the owning thread
        return exc
    finally:
        bridge.stop()
