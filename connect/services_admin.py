"""Writes behind the Connect+ API and pages: connections, PGP keys and dataflows (create, change, delete).

Each writer checks everything first and writes nothing when one check fails; every
change is audited inside the same transaction. Secrets go to the database only as
tokens of accessadmin.crypto and never into an audit entry: audits name which
secrets changed, not their values.
"""

import asyncio
import concurrent.futures
import ipaddress
import posixpath
import re

import asyncssh
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accessadmin import audit, crypto
from accessadmin.errors import Conflict, CoreErrorCode, Forbidden, InvalidInput, NotFound, Unavailable
from accessadmin.models import Org

from . import pgp, policies, queue, schedule, selectors, sftp
from .errors import ConnectErrorCode
from .flow_templates import template_get
from .models import AfterSuccess, Dataflow, DataflowRun, PgpKey, RunStatus, RunTrigger, SftpConnection

HOST_RE = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_-]{1,63})*\.?|\[?[0-9A-Fa-f:.]+\]?)$")
CRON_ALIASES = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
                "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"}
SECRET_FIELDS = ("password", "private_key", "passphrase")
# Local variables that hold secrets: Django's error reports show them as "********************".
SECRET_LOCALS = (*SECRET_FIELDS, "armored", "changes", "values", "current", "new", "info")


def _require(actor) -> None:
    if actor is not None and not policies.can_use_connect(actor):
        raise Forbidden("You may not use Connect+.", code=CoreErrorCode.PERMISSION_DENIED)


def _text(value, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"{field} must not be empty.", code=CoreErrorCode.INVALID, fields={field: ["Required."]})
    return value


def _org_object(model, org: Org, pk, what: str):
    """Returns `org`'s `model` row `pk`; NotFound (404) when missing or another org's, as the selectors answer."""
    try:
        return model.objects.get(org=org, pk=pk)
    except model.DoesNotExist:
        raise NotFound(f"{what} not found.") from None


def _duplicate(field: str = "name"):
    return InvalidInput("That name is taken.",
                        code=ConnectErrorCode.DUPLICATE_NAME, fields={field: ["This name is taken."]})


# --- SSH keys ------------------------------------------------------------------------------------------------

def _pinnable_host_key(text: str) -> str:
    """Returns the public key in `text` as `<algorithm> <base64>` (a known_hosts line's host patterns and
    markers mean nothing here); InvalidInput `invalid_host_key` when `text` holds no key."""
    try:
        key = sftp.parse_host_key(text)
    except ValueError:
        raise InvalidInput("host_key must be an SSH public key (`ssh-ed25519 AAAA…`) or a known_hosts line.",
                           code=ConnectErrorCode.INVALID_HOST_KEY,
                           fields={"host_key": ["Not an SSH public key."]}) from None
    algorithm, blob = key.export_public_key("openssh").decode().split()[:2]
    return f"{algorithm} {blob}"


def host_key_fingerprint(text: str) -> str | None:
    """Returns the SHA256 fingerprint of a stored host key (None when it does not parse)."""
    try:
        return sftp.host_key_fingerprint(text)
    except ValueError:
        return None


@sensitive_variables(*SECRET_LOCALS)
def _check_private_key(private_key: str, passphrase: str) -> None:
    try:
        asyncssh.import_private_key(private_key, passphrase or None)
    except asyncssh.KeyImportError as e:
        if "passphrase" not in str(e).lower():
            raise InvalidInput("private_key must be an OpenSSH or PEM private key.",
                               code=ConnectErrorCode.INVALID_PRIVATE_KEY,
                               fields={"private_key": ["Not a private key."]}) from None
        message = "The private key is protected by a passphrase; give it too."
        raise InvalidInput(message, code=ConnectErrorCode.BAD_PASSPHRASE, fields={"passphrase": [message]}) from None
    except asyncssh.KeyEncryptionError:
        message = "The passphrase does not open the private key." if passphrase else \
            "The private key is protected by a passphrase; give it too."
        raise InvalidInput(message, code=ConnectErrorCode.BAD_PASSPHRASE, fields={"passphrase": [message]}) from None
    except ValueError:
        raise InvalidInput("private_key must be an OpenSSH or PEM private key.",
                           code=ConnectErrorCode.INVALID_PRIVATE_KEY,
                           fields={"private_key": ["Not a private key."]}) from None


# --- connections ---------------------------------------------------------------------------------------------

def connection_state(connection: SftpConnection) -> dict:
    """Returns what an audit entry shows of `connection`: everything but its secrets' values."""
    return {"name": connection.name, "host": connection.host, "port": connection.port,
            "username": connection.username, "has_password": connection.has_password,
            "has_private_key": connection.has_private_key, "has_passphrase": bool(connection.passphrase_encrypted),
            "host_key_fingerprint": host_key_fingerprint(connection.host_key), "base_path": connection.base_path}


def _check_host(host: str) -> str:
    host = _text(host, "host")
    if not HOST_RE.match(host):
        raise InvalidInput("host must be a host name or an IP address.", code=ConnectErrorCode.INVALID_HOST,
                           fields={"host": ["Not a host name or IP address."]})
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host  # a name: its addresses are checked on every connection, when it is resolved
    if not sftp.address_allowed(str(address)):
        raise InvalidInput(f"{host} is a loopback, private or link-local address, which CONNECT_ALLOWED_NETWORKS "
                           "does not allow.", code=ConnectErrorCode.HOST_NOT_ALLOWED,
                           fields={"host": ["Address not allowed."]})
    return host


def _check_name_free(model, org: Org, name: str, *, exclude_pk=None) -> None:
    qs = model.objects.filter(org=org, name__iexact=name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise _duplicate()


def _save_new(obj) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise _duplicate() from None


@sensitive_variables(*SECRET_LOCALS)
@transaction.atomic
def connection_create(*, actor, org: Org, name: str, host: str, port: int = 22, username: str,
                      password: str | None = None, private_key: str | None = None, passphrase: str | None = None,
                      host_key: str, base_path: str = "") -> SftpConnection:
    """Returns the new connection. It needs a password or a private key, and the server's host key."""
    _require(actor)
    connection = SftpConnection(org=org, created_by=actor, updated_by=actor)
    _apply_connection(connection, {"name": name, "host": host, "port": port, "username": username,
                                   "password": password, "private_key": private_key, "passphrase": passphrase,
                                   "host_key": host_key, "base_path": base_path})
    _save_new(connection)
    audit.record(org=org, actor=actor, action="connect.connection.create", target=connection,
                 after=connection_state(connection))
    return connection


@transaction.atomic
def connection_update(*, actor, org: Org, connection: SftpConnection, changes: dict) -> SftpConnection:
    """Returns `connection` with `changes` applied (the fields given; a secret given as None or "" is removed)."""
    _require(actor)
    connection = SftpConnection.objects.select_for_update().get(pk=connection.pk, org=org)
    before = connection_state(connection)
    changed_secrets = _apply_connection(connection, changes)
    connection.updated_by = actor
    try:
        with transaction.atomic():
            connection.save()
    except IntegrityError:
        raise _duplicate() from None
    after = connection_state(connection)
    if after != before or changed_secrets:
        audit.record(org=org, actor=actor, action="connect.connection.update", target=connection,
                     before=before, after={**after, "secrets_changed": changed_secrets})
    return connection


@sensitive_variables(*SECRET_LOCALS)
def _apply_connection(connection: SftpConnection, changes: dict) -> list[str]:
    """Checks `changes` and sets them on `connection` (unsaved); returns the names of the secrets set or removed."""
    if "name" in changes:
        connection.name = _text(changes["name"], "name")
        _check_name_free(SftpConnection, connection.org, connection.name, exclude_pk=connection.pk)
    if "host" in changes:
        connection.host = _check_host(changes["host"])
    if "port" in changes:
        connection.port = changes["port"]
    if "username" in changes:
        connection.username = _text(changes["username"], "username")
    if "host_key" in changes:
        connection.host_key = _pinnable_host_key(changes["host_key"])
    if "base_path" in changes:
        connection.base_path = (changes["base_path"] or "").strip()

    current = {"password": crypto.decrypt(connection.password_encrypted) if "password" not in changes else None,
               "private_key": (crypto.decrypt(connection.private_key_encrypted)
                               if "private_key" not in changes or "passphrase" in changes else None),
               "passphrase": crypto.decrypt(connection.passphrase_encrypted) if "passphrase" not in changes else None}
    new = {f: (changes[f] or "") if f in changes else current[f] for f in SECRET_FIELDS}
    if "private_key" in changes and not changes["private_key"]:
        new["passphrase"] = ""  # no key, no passphrase
    if not new["password"] and not new["private_key"]:
        raise InvalidInput("Give a password or a private key.", code=ConnectErrorCode.CREDENTIALS_REQUIRED,
                           fields={"password": ["A password or a private key is required."]})
    if new["private_key"] and ("private_key" in changes or "passphrase" in changes):
        _check_private_key(new["private_key"], new["passphrase"])
    changed = []
    for f in SECRET_FIELDS:
        column = f"{f}_encrypted"
        had = bool(getattr(connection, column))
        if f in changes or (f == "passphrase" and not new["passphrase"] and had):
            if changes.get(f) or had:
                changed.append(f)
            setattr(connection, column, crypto.encrypt(new[f]))
    return changed


@transaction.atomic
def connection_delete(*, actor, org: Org, connection: SftpConnection) -> None:
    _require(actor)
    users = list(selectors.dataflows_using_connection(connection).values_list("name", flat=True)[:5])
    if users:
        raise Conflict(f"{connection.name} is used by dataflow {', '.join(users)}; change or delete it first.",
                       code=ConnectErrorCode.CONNECTION_IN_USE, extra={"dataflows": users})
    before = connection_state(connection)
    audit.record(org=org, actor=actor, action="connect.connection.delete", target=connection, before=before)
    connection.delete()


@transaction.atomic
def connection_pin_host_key(*, actor, org: Org, connection: SftpConnection, host_key: str) -> SftpConnection:
    """Returns `connection` trusting `host_key` from now on (the admin confirmed its fingerprint)."""
    return connection_update(actor=actor, org=org, connection=connection, changes={"host_key": host_key})


@sensitive_variables(*SECRET_LOCALS)
def endpoint_of(connection: SftpConnection) -> sftp.Endpoint:
    """Returns the login of `connection` with its secrets decrypted (kept out of repr())."""
    return sftp.Endpoint(host=connection.host, port=connection.port, username=connection.username,
                         host_key=connection.host_key, base_path=connection.base_path,
                         password=crypto.decrypt(connection.password_encrypted),
                         private_key=crypto.decrypt(connection.private_key_encrypted),
                         passphrase=crypto.decrypt(connection.passphrase_encrypted))


def _run_async(function, *args):
    """Returns the result of the coroutine function `function(*args)` run to its end from synchronous code:
    on a new event loop, in a thread of its own when this thread already runs a loop (an ASGI server)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(function(*args))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(function(*args))).result()


def offered_host_key(*, host: str, port: int, pinned: str = "") -> dict:
    """Returns the host key the server at host:port offers now, its fingerprint, and whether it is
    `pinned`. Trusts nothing: pinning a key is a separate, audited change. Unavailable (502, with the
    connection code) when the server cannot be reached or the host is not allowed."""
    try:
        host_key, fingerprint = _run_async(sftp.fetch_host_key, host, port)
    except sftp.SftpError as e:
        raise Unavailable(CONNECTION_MESSAGES.get(e.code, e.detail), code=e.code, status=502) from None
    return {"host_key": host_key, "fingerprint": fingerprint,
            "matches_pinned": fingerprint == host_key_fingerprint(pinned)}


def connection_offered_host_key(*, connection: SftpConnection) -> dict:
    """Returns offered_host_key() of `connection`'s server, compared with the key it pins."""
    return offered_host_key(host=connection.host, port=connection.port, pinned=connection.host_key)


# Each failure of a connection test in words, for the API's `message` and the pages.
CONNECTION_MESSAGES = {
    sftp.AUTH_FAILED: "The server refused the username, password or key.",
    sftp.HOST_KEY_MISMATCH: "The server's host key is not the pinned one. Nothing was sent; fetch the host "
                            "key and compare its fingerprint with the server operator's before trusting it.",
    sftp.UNREACHABLE: "The server cannot be reached.",
    sftp.TIMEOUT: "The server did not answer within the time limit.",
    sftp.PATH_MISSING: "The base path does not exist on the server.",
    sftp.PERMISSION_DENIED: "The user may not list the base path.",
    sftp.HOST_NOT_ALLOWED: "The host resolves to a loopback, private or link-local address, which "
                           "CONNECT_ALLOWED_NETWORKS does not allow.",
    sftp.CONNECTION_LOST: "The connection was lost.",
}


def connection_test(*, connection: SftpConnection) -> dict:
    """Returns {"ok", "code", "message"}: connecting (host key pinned) and listing the base path worked, or
    the stable code of what failed."""
    try:
        _run_async(sftp.check, endpoint_of(connection))
    except sftp.SftpError as e:
        return {"ok": False, "code": e.code, "message": CONNECTION_MESSAGES.get(e.code, e.detail)}
    except crypto.SecretUnreadable:
        return {"ok": False, "code": "secret_unreadable",
                "message": "The stored secret cannot be decrypted with the configured keys; enter it again."}
    return {"ok": True, "code": None, "message": "Connected and listed the base path."}


# --- PGP keys ------------------------------------------------------------------------------------------------

@sensitive_variables(*SECRET_LOCALS)
@transaction.atomic
def key_create(*, actor, org: Org, name: str, armored: str, passphrase: str | None = None) -> PgpKey:
    """Returns the new key. A private key (a key pair) is kept encrypted, with its passphrase, after the
    passphrase was shown to open it; a public key only encrypts."""
    _require(actor)
    name = _text(name, "name")
    _check_name_free(PgpKey, org, name)
    try:
        info = pgp.inspect_key(armored, passphrase or "")
    except pgp.PgpError as e:
        if e.code == pgp.PASSPHRASE_WRONG:
            message = "The passphrase does not open the private key." if passphrase else \
                "The private key is protected by a passphrase; give it too."
            raise InvalidInput(message,
                               code=ConnectErrorCode.BAD_PASSPHRASE, fields={"passphrase": [message]}) from None
        raise InvalidInput(f"armored must be one ASCII-armored PGP key: {e.detail}", code=ConnectErrorCode.INVALID_KEY,
                           fields={"armored": ["Not a single ASCII-armored PGP key."]}) from None
    key = PgpKey(org=org, name=name, public_armored=info.public_armored,
                 secret_armored_encrypted=crypto.encrypt(info.secret_armored),
                 passphrase_encrypted=crypto.encrypt(passphrase or "") if info.secret_armored else "",
                 fingerprint=info.fingerprint, user_ids=info.user_ids, expires_at=info.expires_at,
                 can_encrypt=info.can_encrypt, can_decrypt=info.can_decrypt, revoked=info.revoked,
                 created_by=actor, updated_by=actor)
    _save_new(key)
    audit.record(org=org, actor=actor, action="connect.key.create", target=key, after=key_state(key))
    return key


def key_state(key: PgpKey) -> dict:
    return {"name": key.name, "fingerprint": key.fingerprint, "user_ids": key.user_ids,
            "expires_at": key.expires_at, "can_encrypt": key.can_encrypt, "can_decrypt": key.can_decrypt}


@transaction.atomic
def key_delete(*, actor, org: Org, key: PgpKey) -> None:
    _require(actor)
    users = list(selectors.dataflows_using_key(key).values_list("name", flat=True)[:5])
    if users:
        raise Conflict(f"{key.name} is used by dataflow {', '.join(users)}; change or delete it first.",
                       code=ConnectErrorCode.KEY_IN_USE, extra={"dataflows": users})
    audit.record(org=org, actor=actor, action="connect.key.delete", target=key, before=key_state(key))
    key.delete()


# --- dataflows -----------------------------------------------------------------------------------------------

def dataflow_state(flow: Dataflow) -> dict:
    return {"name": flow.name, "template": flow.template,
            "source": {"connection": flow.source_connection_id, "path": flow.source_path,
                       "pattern": flow.source_pattern, "recursive": flow.source_recursive},
            "destination": {"connection": flow.destination_connection_id, "path": flow.destination_path,
                            "create_directory": flow.create_directory, "on_conflict": flow.on_conflict},
            "decrypt": {"key": flow.decrypt_key_id} if flow.decrypt_key_id else None,
            "encrypt": ({"key": flow.encrypt_key_id, "armor": flow.encrypt_armor,
                         "compress": flow.encrypt_compress} if flow.encrypt_key_id else None),
            "after_success": flow.after_success, "archive_path": flow.archive_path,
            "schedule": flow.schedule or None, "active": flow.active}


def normalize_schedule(expression: str | None) -> str:
    """Returns the five-field cron expression of `expression` ("" for none; `@daily` and the other
    aliases become their five fields); InvalidInput `invalid_schedule`."""
    expression = " ".join((expression or "").split())
    if not expression:
        return ""
    expression = CRON_ALIASES.get(expression.lower(), expression)
    if not schedule.is_valid(expression):
        raise InvalidInput("schedule must be a cron expression of five fields (minute hour day month weekday), "
                           "e.g. `30 2 * * *`.", code=ConnectErrorCode.INVALID_SCHEDULE,
                           fields={"schedule": ["Not a cron expression of five fields."]})
    return expression


def _merge(flow_section: dict | None, given: dict | None, *, partial: bool) -> dict | None:
    if given is None:
        return None
    return {**(flow_section or {}), **given} if partial else given


def _same_dir(a: str, b: str) -> bool:
    return posixpath.normpath("/" + (a or "")) == posixpath.normpath("/" + (b or ""))


def _apply_dataflow(flow: Dataflow, data: dict, *, partial: bool) -> None:
    """Checks `data` (the input of DataflowInput) and sets it on `flow` (unsaved). References to another
    org's connection or key are 404, like missing ones."""
    org = flow.org
    current = dataflow_state(flow) if partial else {}
    if "name" in data:
        flow.name = _text(data["name"], "name")
        _check_name_free(Dataflow, org, flow.name, exclude_pk=flow.pk)
    if "template" in data:
        if template_get(data["template"]) is None:
            raise InvalidInput(f"There is no template {data['template']!r}.", code=ConnectErrorCode.UNKNOWN_TEMPLATE,
                               fields={"template": ["Unknown template."]})
        flow.template = data["template"]
    if "source" in data:
        source = _merge(current.get("source"), data["source"], partial=partial)
        flow.source_connection = _org_object(SftpConnection, org, source["connection"], "Connection")
        flow.source_path = (source.get("path") or "").strip()
        pattern = source.get("pattern", ".*")
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError):
            raise InvalidInput("source.pattern must be a regular expression.", code=ConnectErrorCode.INVALID_PATTERN,
                               fields={"source.pattern": ["Not a regular expression."]}) from None
        flow.source_pattern = pattern
        flow.source_recursive = source.get("recursive", False)
    if "destination" in data:
        destination = _merge(current.get("destination"), data["destination"], partial=partial)
        flow.destination_connection = _org_object(SftpConnection, org, destination["connection"], "Connection")
        flow.destination_path = (destination.get("path") or "").strip()
        flow.create_directory = destination.get("create_directory", False)
        flow.on_conflict = destination.get("on_conflict", "fail")
    if "decrypt" in data:
        decrypt = _merge(current.get("decrypt"), data["decrypt"], partial=partial)
        if decrypt is None:
            flow.decrypt_key = None
        else:
            if "key" not in decrypt:
                raise InvalidInput("decrypt.key is required.",
                                   code=CoreErrorCode.INVALID, fields={"decrypt.key": ["Required."]})
            key = _org_object(PgpKey, org, decrypt["key"], "PGP key")
            policies.check_decrypt_key(key)
            flow.decrypt_key = key
    if "encrypt" in data:
        encrypt = _merge(current.get("encrypt"), data["encrypt"], partial=partial)
        if encrypt is None:
            flow.encrypt_key = None
        else:
            if "key" not in encrypt:
                raise InvalidInput("encrypt.key is required.",
                                   code=CoreErrorCode.INVALID, fields={"encrypt.key": ["Required."]})
            key = _org_object(PgpKey, org, encrypt["key"], "PGP key")
            if key.pk != flow.encrypt_key_id or data["encrypt"].get("key") is not None:
                policies.check_encrypt_key(key)
            flow.encrypt_key = key
            flow.encrypt_armor = encrypt.get("armor", False)
            flow.encrypt_compress = encrypt.get("compress", True)
    if "after_success" in data:
        flow.after_success = data["after_success"]
    if "archive_path" in data:
        flow.archive_path = (data["archive_path"] or "").strip()
    if flow.source_connection_id == flow.destination_connection_id and \
            _same_dir(flow.source_path, flow.destination_path):
        # Delivered files would be picked up again as new source files on every run.
        raise InvalidInput("The destination is the source directory; deliver to another directory.",
                           code=ConnectErrorCode.SAME_LOCATION,
                           fields={"destination.path": ["The same as the source."]})
    if flow.after_success == AfterSuccess.ARCHIVE and not flow.archive_path:
        raise InvalidInput("archive_path is required when after_success is archive.",
                           code=ConnectErrorCode.ARCHIVE_PATH_REQUIRED,
                           fields={"archive_path": ["Required when files are archived."]})
    if "schedule" in data:
        flow.schedule = normalize_schedule(data["schedule"])
    if "active" in data:
        flow.active = data["active"]
    active_schedule = flow.schedule and flow.active
    flow.next_run_at = schedule.next_after(flow.schedule, timezone.now()) if active_schedule else None


@transaction.atomic
def dataflow_create(*, actor, org: Org, data: dict) -> Dataflow:
    """Returns the new dataflow made from `data` (the checked input of the API or a page form)."""
    _require(actor)
    flow = Dataflow(org=org, created_by=actor, updated_by=actor)
    for required in ("name", "template", "source", "destination"):
        if data.get(required) is None:
            raise InvalidInput(f"{required} is required.", code=CoreErrorCode.INVALID, fields={required: ["Required."]})
    _apply_dataflow(flow, data, partial=False)
    _save_new(flow)
    audit.record(org=org, actor=actor, action="connect.dataflow.create", target=flow, after=dataflow_state(flow))
    return flow


@transaction.atomic
def dataflow_update(*, actor, org: Org, flow: Dataflow, data: dict) -> Dataflow:
    """Returns `flow` with the fields of `data` changed; nested sections merge into the current ones,
    a nullable section given as None is removed."""
    _require(actor)
    flow = Dataflow.objects.select_for_update().get(pk=flow.pk, org=org)
    before = dataflow_state(flow)
    for required in ("name", "template", "source", "destination"):
        if required in data and data[required] is None:
            raise InvalidInput(f"{required} must not be null.",
                               code=CoreErrorCode.INVALID, fields={required: ["Required."]})
    _apply_dataflow(flow, data, partial=True)
    flow.updated_by = actor
    try:
        with transaction.atomic():
            flow.save()
    except IntegrityError:
        raise _duplicate() from None
    after = dataflow_state(flow)
    if after != before:
        audit.record(org=org, actor=actor, action="connect.dataflow.update", target=flow, before=before,
                     after=after)
    return flow


@transaction.atomic
def dataflow_delete(*, actor, org: Org, flow: Dataflow) -> None:
    """Deletes `flow` with its runs and delivery records; refused while a run is queued or running."""
    _require(actor)
    flow = Dataflow.objects.select_for_update().get(pk=flow.pk, org=org)
    if flow.runs.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).exists():
        raise Conflict(f"{flow.name} has a run queued or running; wait for it to finish.",
                       code=ConnectErrorCode.RUN_IN_PROGRESS)
    audit.record(org=org, actor=actor, action="connect.dataflow.delete", target=flow, before=dataflow_state(flow))
    flow.delete()


# --- runs ----------------------------------------------------------------------------------------------------

@transaction.atomic
def run_start(*, actor, org: Org, flow: Dataflow) -> DataflowRun:
    """Returns a new queued run of `flow` started by `actor`; a consumer picks it up once this commits."""
    _require(actor)
    run = DataflowRun.objects.create(dataflow=flow, trigger=RunTrigger.MANUAL, started_by=actor)
    audit.record(org=org, actor=actor, action="connect.run.request", target=run,
                 after={"dataflow": flow.pk, "trigger": run.trigger})
    queue.enqueue_run(run.pk, started_by_id=audit.started_by_id(actor))
    return run
