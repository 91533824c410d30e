"""Connect+ API: input serializers check shape (and refuse fields they do not know); output is built by
plain functions from rows the selectors loaded. The `*Output` serializers only describe that output in
the OpenAPI schema.

Secrets (password, private_key, passphrase) appear in inputs only: no payload function reads them.
"""

from rest_framework import serializers

from accessadmin.api.fields import Input
from accessadmin.errors import CoreErrorCode, InvalidInput

from .. import schedule
from ..models import AfterSuccess, FileStatus, OnConflict, RunStatus, RunTrigger

MAX_ID = 2**63 - 1
SECRET = {"required": False, "allow_blank": True, "allow_null": True, "trim_whitespace": False, "write_only": True}


def _id(**kw):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kw)


def validated_input(serializer_class, data, *, partial: bool = False) -> dict:
    """Returns the body checked by `serializer_class` (an accessadmin.api.fields.Input: a field it does not
    know is 400 `unknown_field`). A body that is not an object is 400 `invalid_body`; other faults are 400
    `invalid` with the fields at fault named with dots (`destination.on_conflict`)."""
    if not isinstance(data, dict):
        raise InvalidInput("The body must be a JSON object.", code=CoreErrorCode.INVALID_BODY)
    serializer = serializer_class(data=data, partial=partial)
    if not serializer.is_valid():
        fields = _flat_errors(serializer.errors)
        name, messages = next(iter(fields.items()))
        raise InvalidInput(f"{name}: {messages[0]}", code=CoreErrorCode.INVALID, fields=fields)
    return serializer.validated_data


def _flat_errors(errors, prefix: str = "") -> dict[str, list[str]]:
    """Returns DRF's nested error dict with dotted names: {"destination.on_conflict": ["…"]}."""
    flat = {}
    for key, value in errors.items():
        name = f"{prefix}{key}" if key != "non_field_errors" else (prefix.rstrip(".") or key)
        if isinstance(value, dict):
            flat.update(_flat_errors(value, f"{name}."))
        else:
            flat.setdefault(name, []).extend(str(m) for m in (value if isinstance(value, list) else [value]))
    return flat


# --- connections ---------------------------------------------------------------------------------------------

class ConnectionInput(Input):
    name = serializers.CharField(max_length=200)
    host = serializers.CharField(max_length=255)
    port = serializers.IntegerField(min_value=1, max_value=65535, default=22)
    username = serializers.CharField(max_length=200)
    password = serializers.CharField(max_length=1000, help_text="Write-only. Null or empty removes it.", **SECRET)
    private_key = serializers.CharField(max_length=30000, **SECRET,
                                        help_text="Write-only. An OpenSSH or PEM private key; null or empty "
                                                  "removes it.")
    passphrase = serializers.CharField(max_length=1000, **SECRET,
                                       help_text="Write-only. The private key's passphrase, when it has one.")
    host_key = serializers.CharField(max_length=20000, help_text="The server's public key "
                                     "(`ssh-ed25519 AAAA…`) or a known_hosts line.")
    base_path = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ConnectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    host = serializers.CharField()
    port = serializers.IntegerField()
    username = serializers.CharField()
    has_password = serializers.BooleanField()
    has_private_key = serializers.BooleanField()
    has_passphrase = serializers.BooleanField()
    host_key = serializers.CharField()
    host_key_fingerprint = serializers.CharField(allow_null=True, help_text="SHA256:… of the pinned host key.")
    base_path = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(allow_null=True)
    updated_at = serializers.DateTimeField()
    updated_by = serializers.CharField(allow_null=True)


class HostKeyOutput(serializers.Serializer):
    host_key = serializers.CharField(help_text="The key the server offers, as `type base64`.")
    fingerprint = serializers.CharField(help_text="Its SHA256 fingerprint, as `ssh-keygen -l` shows it.")
    matches_pinned = serializers.BooleanField(help_text="Whether it is the key the connection trusts now.")


class TestOutput(serializers.Serializer):
    ok = serializers.BooleanField()
    code = serializers.ChoiceField(allow_null=True, choices=[
        "auth_failed", "host_key_mismatch", "unreachable", "timeout", "path_missing", "permission_denied",
        "host_not_allowed", "connection_lost"])
    message = serializers.CharField()


def _who(user) -> str | None:
    return user.username if user is not None else None


def connection_payload(connection, fingerprint: str | None) -> dict:
    return {
        "id": connection.pk,
        "name": connection.name,
        "host": connection.host,
        "port": connection.port,
        "username": connection.username,
        "has_password": connection.has_password,
        "has_private_key": connection.has_private_key,
        "has_passphrase": bool(connection.passphrase_encrypted),
        "host_key": connection.host_key,
        "host_key_fingerprint": fingerprint,
        "base_path": connection.base_path,
        "created_at": connection.created_at,
        "created_by": _who(connection.created_by),
        "updated_at": connection.updated_at,
        "updated_by": _who(connection.updated_by),
    }


# --- PGP keys ------------------------------------------------------------------------------------------------

class KeyInput(Input):
    name = serializers.CharField(max_length=200)
    armored = serializers.CharField(max_length=200_000, trim_whitespace=False, write_only=True,
                                    help_text="An ASCII-armored public key, or a private key (a key pair).")
    passphrase = serializers.CharField(max_length=1000, **SECRET,
                                       help_text="Write-only. The private key's passphrase, when it has one.")


class KeyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    fingerprint = serializers.CharField()
    user_ids = serializers.ListField(child=serializers.CharField())
    expires_at = serializers.DateTimeField(allow_null=True)
    can_encrypt = serializers.BooleanField()
    can_decrypt = serializers.BooleanField()
    revoked = serializers.BooleanField()
    expired = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(allow_null=True)


def key_payload(key) -> dict:
    return {
        "id": key.pk,
        "name": key.name,
        "fingerprint": key.fingerprint,
        "user_ids": list(key.user_ids),
        "expires_at": key.expires_at,
        "can_encrypt": key.can_encrypt,
        "can_decrypt": key.can_decrypt,
        "revoked": key.revoked,
        "expired": key.is_expired,
        "created_at": key.created_at,
        "created_by": _who(key.created_by),
    }


# --- templates -----------------------------------------------------------------------------------------------

class TemplateFieldOutput(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(choices=["string", "path", "regex", "boolean", "choice", "connection", "pgp_key"])
    required = serializers.BooleanField()
    default = serializers.JSONField(allow_null=True)
    choices = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    help = serializers.CharField()
    key_use = serializers.ChoiceField(choices=["decrypt", "encrypt"], required=False,
                                      help_text="For pgp_key fields: what the key must be able to do.")


class TemplateSectionOutput(serializers.Serializer):
    name = serializers.CharField(help_text="The dataflow field holding this section; empty for top-level fields.")
    label = serializers.CharField()
    nullable = serializers.BooleanField(help_text="Whether the whole section may be null (step left out).")
    help = serializers.CharField()
    fields = TemplateFieldOutput(many=True)


class TemplateOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    sections = TemplateSectionOutput(many=True)


class TemplateListOutput(serializers.Serializer):
    results = TemplateOutput(many=True)


# --- dataflows -----------------------------------------------------------------------------------------------

class SourceInput(Input):
    connection = _id()
    path = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    pattern = serializers.CharField(max_length=500, required=False, default=".*", trim_whitespace=False,
                                    help_text="A regular expression matched against the whole file name.")
    recursive = serializers.BooleanField(required=False, default=False)


class DestinationInput(Input):
    connection = _id()
    path = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    create_directory = serializers.BooleanField(required=False, default=False)
    on_conflict = serializers.ChoiceField(choices=OnConflict.values, required=False, default=OnConflict.FAIL.value)


class DecryptInput(Input):
    key = _id(help_text="A PGP key uploaded with its private part.")


class EncryptInput(Input):
    key = _id(help_text="A PGP key that can encrypt, not expired or revoked.")
    armor = serializers.BooleanField(required=False, default=False)
    compress = serializers.BooleanField(required=False, default=True,
                                        help_text="Off for data that is already compressed.")


class DataflowInput(Input):
    name = serializers.CharField(max_length=200)
    template = serializers.CharField(max_length=50)
    source = SourceInput()
    destination = DestinationInput()
    decrypt = DecryptInput(required=False, allow_null=True, default=None)
    encrypt = EncryptInput(required=False, allow_null=True, default=None)
    after_success = serializers.ChoiceField(choices=AfterSuccess.values, required=False,
                                            default=AfterSuccess.KEEP.value)
    archive_path = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="",
                                         help_text="Required when after_success is archive.")
    schedule = serializers.CharField(max_length=100, required=False, allow_null=True, allow_blank=True,
                                     default=None, help_text="A cron expression (UTC), or null for no schedule.")
    active = serializers.BooleanField(required=False, default=True)


class SourceOutput(serializers.Serializer):
    connection = serializers.IntegerField()
    path = serializers.CharField()
    pattern = serializers.CharField()
    recursive = serializers.BooleanField()


class DestinationOutput(serializers.Serializer):
    connection = serializers.IntegerField()
    path = serializers.CharField()
    create_directory = serializers.BooleanField()
    on_conflict = serializers.ChoiceField(choices=OnConflict.values)


class DecryptOutput(serializers.Serializer):
    key = serializers.IntegerField()


class EncryptOutput(serializers.Serializer):
    key = serializers.IntegerField()
    armor = serializers.BooleanField()
    compress = serializers.BooleanField()


class LastRunOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RunStatus.values)
    created_at = serializers.DateTimeField()


class DataflowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    template = serializers.CharField()
    source = SourceOutput()
    destination = DestinationOutput()
    decrypt = DecryptOutput(allow_null=True)
    encrypt = EncryptOutput(allow_null=True)
    after_success = serializers.ChoiceField(choices=AfterSuccess.values)
    archive_path = serializers.CharField()
    schedule = serializers.CharField(allow_null=True)
    schedule_description = serializers.CharField(allow_null=True, help_text="The schedule in words.")
    next_run_at = serializers.DateTimeField(allow_null=True)
    active = serializers.BooleanField()
    last_run = LastRunOutput(allow_null=True)
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(allow_null=True)
    updated_at = serializers.DateTimeField()
    updated_by = serializers.CharField(allow_null=True)


def dataflow_payload(flow) -> dict:
    last_run_id = getattr(flow, "last_run_id", None)
    return {
        "id": flow.pk,
        "name": flow.name,
        "template": flow.template,
        "source": {"connection": flow.source_connection_id, "path": flow.source_path,
                   "pattern": flow.source_pattern, "recursive": flow.source_recursive},
        "destination": {"connection": flow.destination_connection_id, "path": flow.destination_path,
                        "create_directory": flow.create_directory, "on_conflict": flow.on_conflict},
        "decrypt": {"key": flow.decrypt_key_id} if flow.decrypt_key_id else None,
        "encrypt": ({"key": flow.encrypt_key_id, "armor": flow.encrypt_armor, "compress": flow.encrypt_compress}
                    if flow.encrypt_key_id else None),
        "after_success": flow.after_success,
        "archive_path": flow.archive_path,
        "schedule": flow.schedule or None,
        "schedule_description": schedule.describe(flow.schedule) if flow.schedule else None,
        "next_run_at": flow.next_run_at,
        "active": flow.active,
        "last_run": ({"id": last_run_id, "status": flow.last_run_status, "created_at": flow.last_run_at}
                     if last_run_id else None),
        "created_at": flow.created_at,
        "created_by": _who(flow.created_by),
        "updated_at": flow.updated_at,
        "updated_by": _who(flow.updated_by),
    }


# --- runs ----------------------------------------------------------------------------------------------------

class RunFileOutput(serializers.Serializer):
    name = serializers.CharField()
    bytes_in = serializers.IntegerField()
    bytes_out = serializers.IntegerField()
    sha256_out = serializers.CharField()
    status = serializers.ChoiceField(choices=FileStatus.values)
    error = serializers.CharField(help_text="A stable error code; empty when the file did not fail.")


class RunProgressOutput(serializers.Serializer):
    files_total = serializers.IntegerField()
    files_done = serializers.IntegerField()
    files_failed = serializers.IntegerField()
    current_file = serializers.CharField()
    current_bytes = serializers.IntegerField()
    current_size = serializers.IntegerField()
    bytes_total = serializers.IntegerField()


class RunOutput(serializers.Serializer):
    id = serializers.IntegerField()
    dataflow = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RunStatus.values)
    trigger = serializers.ChoiceField(choices=RunTrigger.values)
    started_by = serializers.CharField(allow_null=True, help_text="Who started the run; null for the schedule.")
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField(allow_null=True, help_text="A stable error code when the whole run failed.")
    progress = RunProgressOutput()
    files = RunFileOutput(many=True)


class RunQueuedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RunStatus.values, help_text="Always `queued` here.")


def run_file_payload(f) -> dict:
    return {"name": f.name, "bytes_in": f.bytes_in, "bytes_out": f.bytes_out, "sha256_out": f.sha256_out,
            "status": f.status, "error": f.error}


def run_payload(run) -> dict:
    """`run` comes from connect.selectors (its files prefetched)."""
    return {
        "id": run.pk,
        "dataflow": run.dataflow_id,
        "status": run.status,
        "trigger": run.trigger,
        "started_by": _who(run.started_by),
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "error": run.error_code or None,
        "progress": {"files_total": run.files_total, "files_done": run.files_done,
                     "files_failed": run.files_failed, "current_file": run.current_file,
                     "current_bytes": run.current_bytes, "current_size": run.current_size,
                     "bytes_total": run.bytes_total},
        "files": [run_file_payload(f) for f in run.files.all()],
    }
