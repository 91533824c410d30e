"""Writes and actions of Connect+: connections, PGP keys, dataflows, runs.

Every function is keyword-only, checks the actor (Forbidden) and its input
(InvalidInput / Conflict / NotFound, changing nothing), and audits each change
in the same transaction. Audit entries and error messages never hold secrets:
passwords, private keys and passphrases appear only as "set" flags.
"""

import asyncio
import concurrent.futures
import logging
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accessadmin import audit, crypto
from accessadmin.errors import Conflict, Forbidden, InvalidInput, NotFound
from accessadmin.models import Org

from . import engine, pgp, policies, registry, schedule
from . import sftp as sftplib
from .models import (
    AfterSuccess,
    Dataflow,
    DataflowRun,
    DeliveredFile,
    FileStatus,
    OnConflict,
    PgpKey,
    RunFile,
    RunStatus,
    RunTrigger,
    SftpConnection,
)

logger = logging.getLogger(__name__)

INTERRUPTED = "interrupted"
LOCK_LOST = "lock_lost"
SECRET_UNREADABLE = "secret_unreadable"
HOST_RE = re.compile(r"^[A-Za-z0-9.:_\-\[\]%]{1,255}$")


def _require(actor) -> None:
    if not policies.can_use_connect(actor):
        raise Forbidden("Connect+ needs the Connect+ privilege.")


def _name(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput("Name is required.", code="name_required", fields={"name": ["This field is required."]})
    if len(value) > 200:
        raise InvalidInput("Name is too long (200 characters at most).", code="name_too_long",
                           fields={"name": ["At most 200 characters."]})
    return value


def _path(value: str | None, field: str) -> str:
    value = (value or "").strip()
    if len(value) > 1000 or "\x00" in value:
        raise InvalidInput("Invalid path.", code="invalid_path", fields={field: ["Invalid path."]})
    return value


def _run_async(coro):
    """Returns the result of `coro`, run on a new event loop (in a helper thread when the caller's
    thread already has a running loop)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


# --- connections ------------------------------------------------------------

def connection_state(c: SftpConnection) -> dict:
    """Returns the connection as audit data: every field, secrets only as whether they are set."""
    return {"name": c.name, "host": c.host, "port": c.port, "username": c.username, "host_key": c.host_key,
            "base_path": c.base_path, "password": "set" if c.password_encrypted else "",
            "private_key": "set" if c.private_key_encrypted else "",
            "passphrase": "set" if c.passphrase_encrypted else ""}


def _check_connection(c: SftpConnection) -> None:
    c.name = _name(c.name)
    c.host = (c.host or "").strip()
    if not HOST_RE.match(c.host):
        raise InvalidInput("Host must be a host name or an IP address.", code="invalid_host",
                           fields={"host": ["A host name or an IP address."]})
    if not isinstance(c.port, int) or not 1 <= c.port <= 65535:
        raise InvalidInput("Port must be 1–65535.", code="invalid_port", fields={"port": ["1–65535."]})
    c.username = (c.username or "").strip()
    if not c.username or len(c.username) > 200:
        raise InvalidInput("Username is required.", code="username_required",
                           fields={"username": ["This field is required."]})
    if not c.password_encrypted and not c.private_key_encrypted:
        raise InvalidInput("A password or a private key is required.", code="credentials_required",
                           fields={"password": ["A password or a private key is required."]})
    try:
        sftplib.parse_host_key(c.host_key)
    except ValueError:
        raise InvalidInput("Host key must be the server's public key (`ssh-ed25519 AAAA…` or a known_hosts "
                           "line).", code="invalid_host_key", fields={"host_key": ["Not an SSH public key."]})
    c.host_key = c.host_key.strip()
    c.base_path = _path(c.base_path, "base_path")
    if SftpConnection.objects.filter(org=c.org_id, name__iexact=c.name).exclude(pk=c.pk).exists():
        raise Conflict(f"A connection named {c.name!r} exists.", code="duplicate_name",
                       fields={"name": ["This name is taken."]})


def _check_private_key(private_key: str, passphrase: str) -> None:
    if not private_key:
        return
    import asyncssh

    try:
        asyncssh.import_private_key(private_key, passphrase or None)
    except (asyncssh.KeyImportError, ValueError):
        raise InvalidInput("The private key cannot be read (OpenSSH or PEM), or its passphrase is wrong.",
                           code="invalid_private_key", fields={"private_key": ["Cannot read this key."]}) from None


@transaction.atomic
def connection_create(*, actor, org: Org, name: str, host: str, username: str, host_key: str, port: int = 22,
                      password: str = "", private_key: str = "", passphrase: str = "",
                      base_path: str = "") -> SftpConnection:
    """Returns a new SFTP connection of `org`; its secrets are stored encrypted."""
    _require(actor)
    _check_private_key(private_key, passphrase)
    c = SftpConnection(org=org, name=name, host=host, port=port, username=username, host_key=host_key,
                       base_path=base_path, password_encrypted=crypto.encrypt(password or ""),
                       private_key_encrypted=crypto.encrypt(private_key or ""),
                       passphrase_encrypted=crypto.encrypt(passphrase or ""), created_by=actor, updated_by=actor)
    _check_connection(c)
    c.save()
    audit.record(org=org, actor=actor, action="connect.connection.create", target=c, after=connection_state(c))
    return c


@transaction.atomic
def connection_update(*, actor, connection: SftpConnection, name: str | None = None, host: str | None = None,
                      port: int | None = None, username: str | None = None, host_key: str | None = None,
                      base_path: str | None = None, password: str | None = None, private_key: str | None = None,
                      passphrase: str | None = None) -> SftpConnection:
    """Returns the connection with the given fields changed. None leaves a field as it is; for the
    secrets "" clears one (a connection keeps a password or a private key)."""
    _require(actor)
    c = SftpConnection.objects.select_for_update().get(pk=connection.pk)
    before = connection_state(c)
    for attr, value in (("name", name), ("host", host), ("port", port), ("username", username),
                        ("host_key", host_key), ("base_path", base_path)):
        if value is not None:
            setattr(c, attr, value)
    if private_key is not None or passphrase is not None:
        key = private_key if private_key is not None else crypto.decrypt(c.private_key_encrypted)
        phrase = passphrase if passphrase is not None else crypto.decrypt(c.passphrase_encrypted)
        _check_private_key(key, phrase)
    if password is not None:
        c.password_encrypted = crypto.encrypt(password)
    if private_key is not None:
        c.private_key_encrypted = crypto.encrypt(private_key)
    if passphrase is not None:
        c.passphrase_encrypted = crypto.encrypt(passphrase)
    c.updated_by = actor
    _check_connection(c)
    c.save()
    audit.record(org=c.org, actor=actor, action="connect.connection.update", target=c, before=before,
                 after=connection_state(c))
    return c


@transaction.atomic
def connection_delete(*, actor, connection: SftpConnection) -> None:
    """Deletes the connection; Conflict (`connection_in_use`) while a dataflow uses it."""
    _require(actor)
    used = Dataflow.objects.filter(Q(source_connection=connection) | Q(destination_connection=connection))
    if used.exists():
        names = ", ".join(used.values_list("name", flat=True)[:5])
        raise Conflict(f"Dataflows use this connection: {names}.", code="connection_in_use")
    audit.record(org=connection.org, actor=actor, action="connect.connection.delete", target=connection,
                 before=connection_state(connection))
    connection.delete()


def endpoint_of(connection: SftpConnection) -> sftplib.Endpoint:
    """Returns the connection with its secrets decrypted, for the SFTP client only."""
    return sftplib.Endpoint(
        host=connection.host, port=connection.port, username=connection.username, host_key=connection.host_key,
        base_path=connection.base_path, password=crypto.decrypt(connection.password_encrypted),
        private_key=crypto.decrypt(connection.private_key_encrypted),
        passphrase=crypto.decrypt(connection.passphrase_encrypted))


@dataclass(frozen=True)
class HostKeyOffer:
    """The key a server offers: `host_key` (`ssh-ed25519 AAAA…`), its `fingerprint` (`SHA256:…`), and
    whether it is the key pinned on the connection (`matches`, None when nothing is pinned yet)."""

    host_key: str
    fingerprint: str
    matches: bool | None


def host_key_fetch(*, actor, host: str, port: int = 22, pinned: str = "") -> HostKeyOffer:
    """Returns the key the server at host:port offers, for the admin to confirm before saving.

    Nothing is stored: trusting the key is the admin's decision. Raises InvalidInput with the
    stable code (`unreachable`, `timeout`, `host_not_allowed`) when no key could be fetched.
    """
    _require(actor)
    if not HOST_RE.match((host or "").strip()) or not 1 <= int(port) <= 65535:
        raise InvalidInput("Host must be a host name or an IP address.", code="invalid_host")
    try:
        line, fingerprint = _run_async(sftplib.fetch_host_key(host.strip(), int(port)))
    except sftplib.SftpError as exc:
        raise InvalidInput(exc.detail, code=exc.code) from None
    matches = None
    if pinned:
        try:
            matches = sftplib.parse_host_key(pinned).public_data == sftplib.parse_host_key(line).public_data
        except ValueError:
            matches = False
    return HostKeyOffer(host_key=line, fingerprint=fingerprint, matches=matches)


def connection_fetch_host_key(*, actor, connection: SftpConnection) -> HostKeyOffer:
    """Returns the key the connection's server offers now, compared with the pinned one."""
    return host_key_fetch(actor=actor, host=connection.host, port=connection.port, pinned=connection.host_key)


@dataclass(frozen=True)
class TestResult:
    """`ok`, or the stable `code` of what failed (auth_failed, host_key_mismatch, unreachable, timeout,
    path_missing, permission_denied, host_not_allowed) with a human `detail`; `elapsed_ms`."""

    ok: bool
    code: str | None
    detail: str
    elapsed_ms: int


def connection_test(*, actor, connection: SftpConnection) -> TestResult:
    """Returns the outcome of connecting and listing the base path, within CONNECT_TIMEOUT_SECONDS."""
    _require(actor)
    started = timezone.now()
    try:
        _run_async(sftplib.check(endpoint_of(connection)))
        ok, code, detail = True, None, "Connected and listed the base path."
    except sftplib.SftpError as exc:
        ok, code, detail = False, exc.code, exc.detail
    except crypto.SecretUnreadable:
        ok, code, detail = False, SECRET_UNREADABLE, "The stored secret cannot be decrypted."
    elapsed = int((timezone.now() - started).total_seconds() * 1000)
    return TestResult(ok=ok, code=code, detail=detail, elapsed_ms=elapsed)


# --- PGP keys ----------------------------------------------------------------

def pgp_key_state(k: PgpKey) -> dict:
    return {"name": k.name, "fingerprint": k.fingerprint, "user_ids": k.user_ids,
            "expires_at": k.expires_at.isoformat() if k.expires_at else None, "can_encrypt": k.can_encrypt,
            "can_decrypt": k.can_decrypt, "revoked": k.revoked,
            "private_key": "set" if k.secret_armored_encrypted else "",
            "passphrase": "set" if k.passphrase_encrypted else ""}


@transaction.atomic
def pgp_key_create(*, actor, org: Org, name: str, armored: str, passphrase: str = "") -> PgpKey:
    """Returns a new PGP key of `org` read from `armored` (public key, or private key and its passphrase).

    The private part and the passphrase are stored encrypted; InvalidInput (`pgp_key_invalid`,
    `pgp_passphrase_wrong`) when the text is not one key or the passphrase does not open it.
    """
    _require(actor)
    name = _name(name)
    if PgpKey.objects.filter(org=org, name__iexact=name).exists():
        raise Conflict(f"A key named {name!r} exists.", code="duplicate_name", fields={"name": ["This name is taken."]})
    try:
        info = pgp.inspect_key(armored or "", passphrase or "")
    except pgp.PgpError as exc:
        field = "passphrase" if exc.code == pgp.PASSPHRASE_WRONG else "armored"
        raise InvalidInput(exc.detail, code=exc.code, fields={field: [exc.detail]}) from None
    key = PgpKey.objects.create(
        org=org, name=name, public_armored=info.public_armored,
        secret_armored_encrypted=crypto.encrypt(info.secret_armored),
        passphrase_encrypted=crypto.encrypt(passphrase if info.secret_armored else ""),
        fingerprint=info.fingerprint, user_ids=info.user_ids, expires_at=info.expires_at,
        can_encrypt=info.can_encrypt, can_decrypt=info.can_decrypt, revoked=info.revoked,
        created_by=actor, updated_by=actor)
    audit.record(org=org, actor=actor, action="connect.pgp_key.create", target=key, after=pgp_key_state(key))
    return key


@transaction.atomic
def pgp_key_delete(*, actor, key: PgpKey) -> None:
    """Deletes the key; Conflict (`key_in_use`) while a dataflow uses it."""
    _require(actor)
    used = Dataflow.objects.filter(Q(decrypt_key=key) | Q(encrypt_key=key))
    if used.exists():
        names = ", ".join(used.values_list("name", flat=True)[:5])
        raise Conflict(f"Dataflows use this key: {names}.", code="key_in_use")
    audit.record(org=key.org, actor=actor, action="connect.pgp_key.delete", target=key, before=pgp_key_state(key))
    key.delete()


# --- dataflows ---------------------------------------------------------------

def dataflow_state(d: Dataflow) -> dict:
    return {
        "name": d.name, "template": d.template,
        "source": {"connection": d.source_connection_id, "path": d.source_path, "pattern": d.source_pattern,
                   "recursive": d.source_recursive},
        "destination": {"connection": d.destination_connection_id, "path": d.destination_path,
                        "create_directory": d.create_directory, "on_conflict": d.on_conflict},
        "decrypt": {"key": d.decrypt_key_id} if d.decrypt_key_id else None,
        "encrypt": ({"key": d.encrypt_key_id, "armor": d.encrypt_armor, "compress": d.encrypt_compress}
                    if d.encrypt_key_id else None),
        "after_success": d.after_success, "archive_path": d.archive_path, "schedule": d.schedule or None,
        "active": d.active, "stable_seconds": d.stable_seconds,
    }


def _ref_id(value, what: str, field: str):
    if isinstance(value, SftpConnection | PgpKey):
        return value.pk
    if isinstance(value, bool) or value in (None, ""):
        raise InvalidInput(f"{what} is required.", code="required", fields={field: ["This field is required."]})
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{what} must be an id.", code="invalid", fields={field: ["Must be an id."]}) from None


def _org_connection(org: Org, value, field: str) -> SftpConnection:
    pk = _ref_id(value, "Connection", field)
    found = SftpConnection.objects.filter(org=org, pk=pk).first()
    if found is None:
        raise NotFound("Connection not found.", fields={field: ["Not found."]})
    return found


def _org_key(org: Org, value, field: str) -> PgpKey:
    pk = _ref_id(value, "Key", field)
    found = PgpKey.objects.filter(org=org, pk=pk).first()
    if found is None:
        raise NotFound("PGP key not found.", fields={field: ["Not found."]})
    return found


def _section(value, field: str, allowed: set[str]) -> dict:
    if not isinstance(value, dict):
        raise InvalidInput(f"{field} must be an object.", code="invalid", fields={field: ["Must be an object."]})
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise InvalidInput(f"Unknown fields in {field}: {', '.join(unknown)}.", code="unknown_field",
                           fields={field: [f"Unknown: {', '.join(unknown)}"]})
    return value


def _bool(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{field} must be true or false.", code="invalid", fields={field: ["Must be a boolean."]})
    return value


def _apply_source(d: Dataflow, source) -> None:
    source = _section(source, "source", {"connection", "path", "pattern", "recursive"})
    d.source_connection = _org_connection(d.org, source.get("connection"), "source.connection")
    d.source_path = _path(source.get("path", ""), "source.path")
    pattern = source.get("pattern", ".*")
    pattern = ".*" if pattern in (None, "") else pattern
    if not isinstance(pattern, str) or len(pattern) > 500:
        raise InvalidInput("Pattern must be a regular expression.", code="invalid_pattern",
                           fields={"source.pattern": ["Not a regular expression."]})
    try:
        re.compile(pattern)
    except re.error as exc:
        raise InvalidInput(f"Pattern is not a valid regular expression: {exc}.", code="invalid_pattern",
                           fields={"source.pattern": [str(exc)]}) from None
    d.source_pattern = pattern
    d.source_recursive = _bool(source.get("recursive", False), "source.recursive")


def _apply_destination(d: Dataflow, destination) -> None:
    destination = _section(destination, "destination", {"connection", "path", "create_directory", "on_conflict"})
    d.destination_connection = _org_connection(d.org, destination.get("connection"), "destination.connection")
    d.destination_path = _path(destination.get("path", ""), "destination.path")
    d.create_directory = _bool(destination.get("create_directory", False), "destination.create_directory")
    on_conflict = destination.get("on_conflict", OnConflict.FAIL) or OnConflict.FAIL
    if on_conflict not in OnConflict.values:
        raise InvalidInput(f"on_conflict must be one of {', '.join(OnConflict.values)}.", code="invalid_choice",
                           fields={"destination.on_conflict": [f"One of {', '.join(OnConflict.values)}."]})
    d.on_conflict = on_conflict


def _apply_decrypt(d: Dataflow, decrypt) -> None:
    if decrypt is None:
        d.decrypt_key = None
        return
    decrypt = _section(decrypt, "decrypt", {"key"})
    key = _org_key(d.org, decrypt.get("key"), "decrypt.key")
    if not key.can_decrypt:
        raise InvalidInput("Decryption needs a private key.", code="key_cannot_decrypt",
                           fields={"decrypt.key": ["This key has no private part."]})
    d.decrypt_key = key


def _apply_encrypt(d: Dataflow, encrypt) -> None:
    if encrypt is None:
        d.encrypt_key = None
        d.encrypt_armor, d.encrypt_compress = False, True
        return
    encrypt = _section(encrypt, "encrypt", {"key", "armor", "compress"})
    key = _org_key(d.org, encrypt.get("key"), "encrypt.key")
    _check_encryption_key(key, "encrypt.key")
    d.encrypt_key = key
    d.encrypt_armor = _bool(encrypt.get("armor", False), "encrypt.armor")
    d.encrypt_compress = _bool(encrypt.get("compress", True), "encrypt.compress")


def _check_encryption_key(key: PgpKey, field: str) -> None:
    if key.revoked:
        raise InvalidInput("The key is revoked.", code="key_revoked", fields={field: ["Revoked."]})
    if key.is_expired:
        raise InvalidInput("The key has expired.", code="key_expired", fields={field: ["Expired."]})
    if not key.can_encrypt:
        raise InvalidInput("The key cannot encrypt.", code="key_cannot_encrypt", fields={field: ["Cannot encrypt."]})


def _apply_rest(d: Dataflow, *, after_success, archive_path, schedule_expr, active, stable_seconds) -> None:
    if after_success is not None:
        if after_success not in AfterSuccess.values:
            raise InvalidInput(f"after_success must be one of {', '.join(AfterSuccess.values)}.",
                               code="invalid_choice", fields={"after_success": ["Invalid choice."]})
        d.after_success = after_success
    if archive_path is not None:
        d.archive_path = _path(archive_path, "archive_path")
    if d.after_success == AfterSuccess.ARCHIVE and not d.archive_path:
        raise InvalidInput("Archiving needs an archive path.", code="archive_path_required",
                           fields={"archive_path": ["Required when after_success is archive."]})
    if schedule_expr is not None or d._state.adding:
        expression = (schedule_expr or "").strip()
        if expression and not schedule.is_valid(expression):
            raise InvalidInput("Schedule must be a five-field cron expression.", code="invalid_schedule",
                               fields={"schedule": ["Not a cron expression."]})
        d.schedule = expression
    if active is not None:
        d.active = _bool(active, "active")
    if stable_seconds is not None:
        if isinstance(stable_seconds, bool) or not isinstance(stable_seconds, int) or \
                not 0 <= stable_seconds <= 86400:
            raise InvalidInput("stable_seconds must be 0–86400.", code="invalid",
                               fields={"stable_seconds": ["0–86400."]})
        d.stable_seconds = stable_seconds
    d.next_run_at = schedule.next_after(d.schedule, timezone.now()) if d.schedule and d.active else None


def _check_name_free(d: Dataflow) -> None:
    if Dataflow.objects.filter(org=d.org_id, name__iexact=d.name).exclude(pk=d.pk).exists():
        raise Conflict(f"A dataflow named {d.name!r} exists.", code="duplicate_name",
                       fields={"name": ["This name is taken."]})


@transaction.atomic
def dataflow_create(*, actor, org: Org, name: str, template: str, source: dict, destination: dict,
                    decrypt: dict | None = None, encrypt: dict | None = None, after_success: str = "keep",
                    archive_path: str = "", schedule: str | None = None, active: bool = True,
                    stable_seconds: int = 30) -> Dataflow:
    """Returns a new dataflow of `org` from template `template`.

    `source` {connection, path, pattern, recursive}, `destination` {connection, path, create_directory,
    on_conflict}, `decrypt` {key} or None, `encrypt` {key, armor, compress} or None; connections and
    keys are ids (or instances) and must be `org`'s (NotFound otherwise).
    """
    _require(actor)
    if registry.get(template) is None:
        raise InvalidInput(f"Unknown template {template!r}.", code="unknown_template",
                           fields={"template": ["Unknown template."]})
    d = Dataflow(org=org, name=_name(name), template=template, created_by=actor, updated_by=actor)
    _check_name_free(d)
    _apply_source(d, source)
    _apply_destination(d, destination)
    _apply_decrypt(d, decrypt)
    _apply_encrypt(d, encrypt)
    _apply_rest(d, after_success=after_success, archive_path=archive_path, schedule_expr=schedule, active=active,
                stable_seconds=stable_seconds)
    d.save()
    audit.record(org=org, actor=actor, action="connect.dataflow.create", target=d, after=dataflow_state(d))
    return d


_UNSET = object()


@transaction.atomic
def dataflow_update(*, actor, dataflow: Dataflow, name: str | None = None, source: dict | None = None,
                    destination: dict | None = None, decrypt=_UNSET, encrypt=_UNSET, after_success: str | None = None,
                    archive_path: str | None = None, schedule=_UNSET, active: bool | None = None,
                    stable_seconds: int | None = None) -> Dataflow:
    """Returns the dataflow with the given parts replaced (a part left out stays as it is; `decrypt`,
    `encrypt` and `schedule` may be set to None to turn them off)."""
    _require(actor)
    d = Dataflow.objects.select_for_update().get(pk=dataflow.pk)
    before = dataflow_state(d)
    if name is not None:
        d.name = _name(name)
        _check_name_free(d)
    if source is not None:
        _apply_source(d, {**before["source"], **source})
    if destination is not None:
        _apply_destination(d, {**before["destination"], **destination})
    if decrypt is not _UNSET:
        _apply_decrypt(d, decrypt)
    if encrypt is not _UNSET:
        _apply_encrypt(d, None if encrypt is None else {**(before["encrypt"] or {}), **encrypt})
    _apply_rest(d, after_success=after_success, archive_path=archive_path,
                schedule_expr=None if schedule is _UNSET else (schedule or ""), active=active,
                stable_seconds=stable_seconds)
    d.updated_by = actor
    d.save()
    audit.record(org=d.org, actor=actor, action="connect.dataflow.update", target=d, before=before,
                 after=dataflow_state(d))
    return d


@transaction.atomic
def dataflow_delete(*, actor, dataflow: Dataflow) -> None:
    """Deletes the dataflow with its runs and delivery memory; Conflict (`dataflow_running`) while a run
    holds its lock."""
    _require(actor)
    d = Dataflow.objects.select_for_update().get(pk=dataflow.pk)
    if d.lock_run_id and d.lock_expires_at and d.lock_expires_at > timezone.now():
        raise Conflict("The dataflow is running; try again when the run has finished.", code="dataflow_running")
    audit.record(org=d.org, actor=actor, action="connect.dataflow.delete", target=d, before=dataflow_state(d))
    d.delete()


# --- runs ----------------------------------------------------------------------

def _enqueue(run_id: int) -> None:
    from . import tasks  # tasks import this module

    transaction.on_commit(lambda: tasks.run_dataflow(run_id))


@transaction.atomic
def run_request(*, actor, dataflow: Dataflow) -> DataflowRun:
    """Returns a queued run of `dataflow` started by `actor` ("Run now"); the run is handed to the
    task queue when the transaction commits. A run already waiting in the queue is returned as it is."""
    _require(actor)
    d = Dataflow.objects.select_for_update().get(pk=dataflow.pk)
    waiting = DataflowRun.objects.filter(dataflow=d, status=RunStatus.QUEUED).order_by("created_at").first()
    if waiting is not None:
        return waiting
    run = DataflowRun.objects.create(dataflow=d, trigger=RunTrigger.MANUAL, started_by=actor)
    audit.record(org=d.org, actor=actor, action="connect.run.request", target=run,
                 after={"dataflow": d.pk, "trigger": run.trigger})
    _enqueue(run.pk)
    return run


def schedule_due(*, now: datetime | None = None) -> list[int]:
    """Returns the ids of the runs it queued: one per active dataflow whose schedule is due and that has
    no run queued or running. Safe to call from several consumers at once (each due time is claimed
    with a conditional update, so it yields one run)."""
    now = now or timezone.now()
    queued = []
    due = Dataflow.objects.filter(active=True, next_run_at__lte=now).exclude(schedule="")
    for d in due.only("pk", "schedule", "next_run_at", "org"):
        following = schedule.next_after(d.schedule, now)
        with transaction.atomic():
            if not Dataflow.objects.filter(pk=d.pk, next_run_at=d.next_run_at).update(next_run_at=following):
                continue  # another consumer took this due time
            if DataflowRun.objects.filter(dataflow_id=d.pk, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
                continue  # still going: not started twice
            run = DataflowRun.objects.create(dataflow_id=d.pk, trigger=RunTrigger.SCHEDULE, started_by=None)
            audit.record(org=d.org, actor=None, action="connect.run.request", target=run,
                         after={"dataflow": d.pk, "trigger": run.trigger})
            _enqueue(run.pk)
            queued.append(run.pk)
    return queued


def runs_recover(*, now: datetime | None = None) -> list[int]:
    """Returns the ids of runs handed to the queue again: runs queued for longer than a lease (their
    task was lost with a consumer) and runs whose consumer stopped renewing their lock. The task is
    idempotent, so a run enqueued twice runs once."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.CONNECT_RUN_LEASE_SECONDS)
    stale_queued = DataflowRun.objects.filter(status=RunStatus.QUEUED, created_at__lt=now - lease)
    stale_running = DataflowRun.objects.filter(status=RunStatus.RUNNING, heartbeat_at__lt=now - lease)
    ids = list(stale_queued.values_list("pk", flat=True)) + list(stale_running.values_list("pk", flat=True))
    for run_id in ids:
        _enqueue(run_id)
    return ids


class _RunHooks(engine.Hooks):
    """The engine's database side for one run (runs on the thread that called run_execute)."""

    def __init__(self, run: DataflowRun):
        self.run = run
        self.dataflow_id = run.dataflow_id

    def total(self, count):
        DataflowRun.objects.filter(pk=self.run.pk).update(files_total=count)

    def delivered(self, f):
        row = DeliveredFile.objects.filter(dataflow_id=self.dataflow_id, name=f.name, size=f.size,
                                           mtime=f.mtime).first()
        return None if row is None else engine.Delivered(source_handled=row.source_handled)

    def unconfirmed(self, f):
        row = (RunFile.objects.filter(run__dataflow_id=self.dataflow_id, name=f.name, source_size=f.size,
                                      source_mtime=f.mtime, status__in=[FileStatus.COMMITTING, FileStatus.FAILED])
               .exclude(sha256_out="").order_by("-id").first())
        if row is None or (row.status == FileStatus.FAILED and row.error != INTERRUPTED):
            return None
        return engine.Unconfirmed(destination_name=row.destination_name, bytes_out=row.bytes_out,
                                  sha256_out=row.sha256_out, sha256_in=row.sha256_in)

    def started(self, f):
        DataflowRun.objects.filter(pk=self.run.pk).update(current_file=f.name[:1000], current_bytes=0,
                                                          current_size=f.size, heartbeat_at=timezone.now())
        return RunFile.objects.create(run=self.run, name=f.name, source_size=f.size, source_mtime=f.mtime).pk

    def progress(self, file_id, bytes_in, size):
        now = timezone.now()
        RunFile.objects.filter(pk=file_id).update(bytes_in=bytes_in)
        DataflowRun.objects.filter(pk=self.run.pk).update(current_bytes=bytes_in, current_size=size, heartbeat_at=now)

    def committing(self, file_id, *, destination_name, bytes_in, bytes_out, sha256_in, sha256_out):
        RunFile.objects.filter(pk=file_id).update(status=FileStatus.COMMITTING, destination_name=destination_name,
                                                  bytes_in=bytes_in, bytes_out=bytes_out, sha256_in=sha256_in,
                                                  sha256_out=sha256_out)

    def delivered_now(self, file_id, f, *, destination_name, digest, remember_only=False):
        now = timezone.now()
        row = RunFile.objects.get(pk=file_id)
        try:
            with transaction.atomic():
                DeliveredFile.objects.create(dataflow_id=self.dataflow_id, name=f.name, size=f.size, mtime=f.mtime,
                                             digest=digest or row.sha256_in, destination_name=destination_name,
                                             run=self.run, delivered_at=now)
                RunFile.objects.filter(pk=file_id).update(status=FileStatus.DELIVERED, finished_at=now,
                                                          destination_name=destination_name)
                DataflowRun.objects.filter(pk=self.run.pk).update(
                    files_done=F("files_done") + 1, bytes_total=F("bytes_total") + row.bytes_in,
                    current_bytes=f.size)
        except IntegrityError:
            # Delivered by another run meanwhile (the lock makes this rare): not twice.
            RunFile.objects.filter(pk=file_id).update(status=FileStatus.SKIPPED, error="already_delivered",
                                                      finished_at=now)

    def source_handled(self, f):
        DeliveredFile.objects.filter(dataflow_id=self.dataflow_id, name=f.name, size=f.size,
                                     mtime=f.mtime).update(source_handled=True)

    def skipped(self, f, code, file_id=None):
        now = timezone.now()
        if code == engine.DESTINATION_EXISTS:
            # on_conflict "ignore": the file counts as handled and is not offered again.
            DeliveredFile.objects.get_or_create(
                dataflow_id=self.dataflow_id, name=f.name, size=f.size, mtime=f.mtime,
                defaults={"digest": "", "run": self.run, "source_handled": True, "delivered_at": now})
        if file_id is None:
            RunFile.objects.create(run=self.run, name=f.name, source_size=f.size, source_mtime=f.mtime,
                                   status=FileStatus.SKIPPED, error=code, finished_at=now)
        else:
            RunFile.objects.filter(pk=file_id).update(status=FileStatus.SKIPPED, error=code, finished_at=now)

    def failed(self, file_id, code, detail):
        RunFile.objects.filter(pk=file_id).update(status=FileStatus.FAILED, error=code[:50],
                                                  error_detail=detail[:2000], finished_at=timezone.now())
        DataflowRun.objects.filter(pk=self.run.pk).update(files_failed=F("files_failed") + 1)


def _plan(d: Dataflow) -> engine.Plan:
    decrypt_secret = decrypt_passphrase = encrypt_public = ""
    if d.decrypt_key_id:
        decrypt_secret = crypto.decrypt(d.decrypt_key.secret_armored_encrypted)
        decrypt_passphrase = crypto.decrypt(d.decrypt_key.passphrase_encrypted)
    if d.encrypt_key_id:
        encrypt_public = d.encrypt_key.public_armored
    return engine.Plan(
        source=endpoint_of(d.source_connection), source_path=d.source_path, pattern=d.source_pattern,
        recursive=d.source_recursive, destination=endpoint_of(d.destination_connection),
        destination_path=d.destination_path, create_directory=d.create_directory, on_conflict=d.on_conflict,
        after_success=d.after_success, archive_path=d.archive_path, stable_seconds=d.stable_seconds,
        decrypt_secret=decrypt_secret, decrypt_passphrase=decrypt_passphrase, encrypt_public=encrypt_public,
        encrypt_armor=d.encrypt_armor, encrypt_compress=d.encrypt_compress,
        backoff_seconds=settings.CONNECT_RETRY_BACKOFF_SECONDS)


def _take_lock(run: DataflowRun, now: datetime) -> bool:
    lease = timedelta(seconds=settings.CONNECT_RUN_LEASE_SECONDS)
    free = Q(lock_run__isnull=True) | Q(lock_expires_at__lt=now)
    return bool(Dataflow.objects.filter(pk=run.dataflow_id).filter(free)
                .update(lock_run=run, lock_expires_at=now + lease))


def _renew_lock(run: DataflowRun) -> bool:
    now = timezone.now()
    lease = timedelta(seconds=settings.CONNECT_RUN_LEASE_SECONDS)
    held = Dataflow.objects.filter(pk=run.dataflow_id, lock_run=run).update(lock_expires_at=now + lease)
    DataflowRun.objects.filter(pk=run.pk).update(heartbeat_at=now)
    return bool(held)


def _release_lock(run: DataflowRun) -> None:
    Dataflow.objects.filter(pk=run.dataflow_id, lock_run=run).update(lock_run=None, lock_expires_at=None)


def _interrupt_others(run: DataflowRun, now: datetime) -> None:
    """Marks what a dead consumer left behind: other running runs of the dataflow end `failed`
    (`interrupted`), and files of this or those runs that were under way are `interrupted` too (their
    upload details are kept: the next delivery checks whether the rename happened)."""
    others = DataflowRun.objects.filter(dataflow_id=run.dataflow_id, status=RunStatus.RUNNING).exclude(pk=run.pk)
    for other in others:
        audit.record(org=run.dataflow.org, actor=None, action="connect.run.interrupted", target=other,
                     after={"status": RunStatus.FAILED, "error_code": INTERRUPTED})
    others.update(status=RunStatus.FAILED, finished_at=now, error_code=INTERRUPTED,
                  error="The consumer running it stopped.")
    RunFile.objects.filter(run__dataflow_id=run.dataflow_id,
                           status__in=[FileStatus.RUNNING, FileStatus.COMMITTING]).update(
        status=FileStatus.FAILED, error=INTERRUPTED, finished_at=now)


def run_execute(*, run_id: int) -> str:
    """Runs a queued run to its end and returns "done", or "busy" when another run of the same
    dataflow holds the lock (the caller tries again later).

    Idempotent: a finished run, or one that another consumer is running right now, is left alone
    ("done"). A run whose consumer died (lease expired) is taken over and finished here. Expects no
    lock held by the caller; takes the dataflow's lock with a conditional UPDATE and renews it while
    the transfer runs in a thread of its own.
    """
    now = timezone.now()
    run = DataflowRun.objects.select_related("dataflow", "dataflow__org", "dataflow__source_connection",
                                             "dataflow__destination_connection", "dataflow__decrypt_key",
                                             "dataflow__encrypt_key").filter(pk=run_id).first()
    if run is None or run.is_finished:
        return "done"
    if not _take_lock(run, now):
        holder = Dataflow.objects.filter(pk=run.dataflow_id).values_list("lock_run_id", flat=True).first()
        return "done" if holder == run.pk else "busy"
    d = run.dataflow
    _interrupt_others(run, now)
    DataflowRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=Coalesce("started_at", now),
                                                 heartbeat_at=now, attempts=F("attempts") + 1)
    audit.record(org=d.org, actor=None, action="connect.run.start", target=run,
                 after={"dataflow": d.pk, "trigger": run.trigger,
                        "started_by": run.started_by.username if run.started_by_id else "schedule"})
    code, detail = "", ""
    try:
        if not d.active and run.trigger == RunTrigger.SCHEDULE:
            raise _RunStop("dataflow_inactive", "The dataflow is not active.")
        if d.encrypt_key_id and not d.encrypt_key.usable_for_encryption:
            raise _RunStop(pgp.KEY_UNUSABLE, "The encryption key has expired or was revoked.")
        plan = _plan(d)
        bridge = engine.Bridge()
        outcome: dict = {}
        worker = threading.Thread(target=lambda: outcome.update(exc=engine.transfer(plan, bridge, _RunHooks(run))),
                                  name=f"connect-run-{run.pk}", daemon=True)
        worker.start()
        lease = settings.CONNECT_RUN_LEASE_SECONDS
        bridge.serve(tick=lambda: _renew_lock(run), tick_seconds=max(0.5, lease / 4))
        worker.join()
        exc = outcome.get("exc")
        if isinstance(exc, engine.RunFailed):
            code, detail = exc.code, exc.detail
        elif isinstance(exc, engine.Aborted):
            code, detail = LOCK_LOST, "The run lost its lock to another consumer."
        elif exc is not None:
            logger.error("Connect+ run %s failed", run.pk, exc_info=exc)
            code, detail = engine.INTERNAL_ERROR, type(exc).__name__
    except _RunStop as stop:
        code, detail = stop.code, stop.detail
    except crypto.SecretUnreadable:
        code, detail = SECRET_UNREADABLE, "A stored secret cannot be decrypted with FIELD_ENCRYPTION_KEYS."
    finally:
        _finish(run, code, detail)
    return "done"


class _RunStop(Exception):
    def __init__(self, code: str, detail: str):
        self.code, self.detail = code, detail
        super().__init__(code)


def _finish(run: DataflowRun, code: str, detail: str) -> None:
    now = timezone.now()
    files = RunFile.objects.filter(run=run)
    delivered = files.filter(status=FileStatus.DELIVERED).count()
    failed = files.filter(status=FileStatus.FAILED).count()
    if code:
        status = RunStatus.PARTIAL if delivered else RunStatus.FAILED
    elif failed:
        status = RunStatus.PARTIAL if delivered else RunStatus.FAILED
    else:
        status = RunStatus.SUCCEEDED
    with transaction.atomic():
        DataflowRun.objects.filter(pk=run.pk).update(
            status=status, finished_at=now, error_code=code, error=detail[:2000], current_file="",
            files_done=delivered, files_failed=failed)
        _release_lock(run)
        audit.record(org=run.dataflow.org, actor=None, action="connect.run.finish", target=run,
                     after={"status": status, "delivered": delivered, "failed": failed, "error_code": code})
