"""Connect+: SFTP connections, PGP keys, dataflows and their runs.

Secrets (passwords, private keys, passphrases) are stored only as Fernet tokens
(`accessadmin.crypto`) in the `*_encrypted` columns; nothing here decrypts them
and no `__str__` shows them. Services decrypt them only where a transfer needs them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


class OnConflict(models.TextChoices):
    """What a delivery does when the destination already has a file of that name."""

    REPLACE = "replace", "Replace the existing file"
    RENAME = "rename", "Keep both (add a number to the new name)"
    IGNORE = "ignore", "Skip the file"
    FAIL = "fail", "Fail the file"


class AfterSuccess(models.TextChoices):
    """What happens to a source file once it is delivered."""

    ARCHIVE = "archive", "Move to the archive path"
    DELETE = "delete", "Delete"
    KEEP = "keep", "Keep"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    PARTIAL = "partial", "Partly failed"
    FAILED = "failed", "Failed"


class RunTrigger(models.TextChoices):
    MANUAL = "manual", "Run now"
    SCHEDULE = "schedule", "Schedule"


class FileStatus(models.TextChoices):
    RUNNING = "running", "Running"
    COMMITTING = "committing", "Renaming on the destination"
    DELIVERED = "delivered", "Delivered"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"


class _Tracked(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        abstract = True


class SftpConnection(_Tracked):
    """An SFTP server login of one org, with the server's pinned host key."""

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="sftp_connections")
    name = models.CharField(max_length=200)
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(default=22)
    username = models.CharField(max_length=200)
    password_encrypted = models.TextField(blank=True, default="")
    private_key_encrypted = models.TextField(blank=True, default="")
    passphrase_encrypted = models.TextField(blank=True, default="")
    host_key = models.TextField(help_text="The server's public key (`ssh-ed25519 AAAA…` or a known_hosts line).")
    base_path = models.CharField(max_length=1000, blank=True, default="")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint("org", Lower("name"), name="sftpconnection_name_unique_per_org_ci"),
        ]

    def __str__(self):
        return self.name

    @property
    def has_password(self) -> bool:
        return bool(self.password_encrypted)

    @property
    def has_private_key(self) -> bool:
        return bool(self.private_key_encrypted)


class PgpKey(_Tracked):
    """A PGP public key, or a key pair when the private part was given (stored encrypted)."""

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="pgp_keys")
    name = models.CharField(max_length=200)
    public_armored = models.TextField(help_text="The ASCII-armored public key.")
    secret_armored_encrypted = models.TextField(blank=True, default="")
    passphrase_encrypted = models.TextField(blank=True, default="")
    fingerprint = models.CharField(max_length=64)
    user_ids = models.JSONField(default=list, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    can_encrypt = models.BooleanField(default=False)
    can_decrypt = models.BooleanField(default=False)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint("org", Lower("name"), name="pgpkey_name_unique_per_org_ci"),
        ]

    def __str__(self):
        return f"{self.name} ({self.fingerprint[-16:]})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def usable_for_encryption(self) -> bool:
        return self.can_encrypt and not self.revoked and not self.is_expired


class Dataflow(_Tracked):
    """A transfer set up from a template: where files come from, what is done to them, where they go.

    The columns hold what every file-moving template shares; `options` holds a
    template's own extra fields (validated against the template's schema by the
    services).
    """

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="dataflows")
    name = models.CharField(max_length=200)
    template = models.CharField(max_length=50)

    source_connection = models.ForeignKey(SftpConnection, on_delete=models.PROTECT, related_name="+")
    source_path = models.CharField(max_length=1000, blank=True, default="")
    source_pattern = models.CharField(max_length=500, default=".*",
                                      help_text="A regular expression matched against the whole file name.")
    source_recursive = models.BooleanField(default=False)

    destination_connection = models.ForeignKey(SftpConnection, null=True, blank=True, on_delete=models.PROTECT,
                                               related_name="+")
    destination_path = models.CharField(max_length=1000, blank=True, default="")
    create_directory = models.BooleanField(default=False)
    on_conflict = models.CharField(max_length=10, choices=OnConflict.choices, default=OnConflict.FAIL)

    decrypt_key = models.ForeignKey(PgpKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    encrypt_key = models.ForeignKey(PgpKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    encrypt_armor = models.BooleanField(default=False)
    encrypt_compress = models.BooleanField(default=True)

    after_success = models.CharField(max_length=10, choices=AfterSuccess.choices, default=AfterSuccess.KEEP)
    archive_path = models.CharField(max_length=1000, blank=True, default="")

    schedule = models.CharField(max_length=100, blank=True, default="", help_text="A cron expression (UTC).")
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    active = models.BooleanField(default=True)
    stable_seconds = models.PositiveIntegerField(default=30)
    options = models.JSONField(default=dict, blank=True)

    # The per-dataflow lock: the run holding it and until when (renewed while it works).
    # Taken with a conditional UPDATE, so it holds across consumers on any number of hosts.
    lock_run = models.ForeignKey("DataflowRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lock_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint("org", Lower("name"), name="dataflow_name_unique_per_org_ci"),
            models.CheckConstraint(condition=Q(on_conflict__in=OnConflict.values), name="dataflow_on_conflict_valid"),
            models.CheckConstraint(condition=Q(after_success__in=AfterSuccess.values),
                                   name="dataflow_after_success_valid"),
        ]

    def __str__(self):
        return self.name


class DataflowRun(models.Model):
    """One run of a dataflow: who or what started it, how far it got, how it ended."""

    dataflow = models.ForeignKey(Dataflow, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True)
    trigger = models.CharField(max_length=10, choices=RunTrigger.choices, default=RunTrigger.MANUAL)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text="Empty when the schedule started the run.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Progress for pages that poll: files found / done, bytes of the file at hand.
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    files_failed = models.PositiveIntegerField(default=0)
    current_file = models.CharField(max_length=1000, blank=True, default="")
    current_bytes = models.BigIntegerField(default=0)
    current_size = models.BigIntegerField(default=0)
    bytes_total = models.BigIntegerField(default=0)
    error_code = models.CharField(max_length=50, blank=True, default="")
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["dataflow", "-created_at"])]

    def __str__(self):
        return f"run {self.pk} of {self.dataflow_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED)


class RunFile(models.Model):
    """What a run did with one source file."""

    run = models.ForeignKey(DataflowRun, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=1000, help_text="The path relative to the source directory.")
    source_size = models.BigIntegerField(default=0)
    source_mtime = models.BigIntegerField(default=0)
    destination_name = models.CharField(max_length=1000, blank=True, default="")
    bytes_in = models.BigIntegerField(default=0)
    bytes_out = models.BigIntegerField(default=0)
    sha256_in = models.CharField(max_length=64, blank=True, default="")
    sha256_out = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(max_length=12, choices=FileStatus.choices, default=FileStatus.RUNNING)
    error = models.CharField(max_length=50, blank=True, default="", help_text="A stable error code.")
    error_detail = models.TextField(blank=True, default="")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.name} ({self.status})"


class DeliveredFile(models.Model):
    """A source file a dataflow has delivered: a file is delivered once, whatever re-runs follow."""

    dataflow = models.ForeignKey(Dataflow, on_delete=models.CASCADE, related_name="delivered_files")
    name = models.CharField(max_length=1000)
    size = models.BigIntegerField()
    mtime = models.BigIntegerField(help_text="Modification time on the source, in seconds since the epoch.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the source bytes.")
    destination_name = models.CharField(max_length=1000, blank=True, default="")
    run = models.ForeignKey(DataflowRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    delivered_at = models.DateTimeField(default=timezone.now)
    source_handled = models.BooleanField(default=False, help_text="after_success done on the source file.")

    class Meta:
        ordering = ["-delivered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dataflow", "name", "size", "mtime"], name="deliveredfile_once"),
        ]

    def __str__(self):
        return self.name
