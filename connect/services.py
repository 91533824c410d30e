"""The running side of Connect+: executing runs, the schedule, and recovery after a dead consumer.

Connections, keys and dataflows are written by `services_admin`; a run is queued
by `services_admin.run_start` and executed here by the task queue
(`tasks.run_dataflow` → `run_execute`). The file moving itself is `engine`,
which runs on an event loop of its own and reaches the database only through
the hooks below, on the thread that called `run_execute`.

Audit entries and error texts never hold secrets.
"""

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accessadmin import audit, crypto

from . import engine, pgp, queue, schedule
from .errors import ConnectErrorCode
from .flow_templates import template_get
from .models import Dataflow, DataflowRun, DeliveredFile, FileStatus, RunFile, RunStatus, RunTrigger
from .services_admin import endpoint_of

logger = logging.getLogger(__name__)

INTERRUPTED = ConnectErrorCode.INTERRUPTED
LOCK_LOST = ConnectErrorCode.LOCK_LOST
SECRET_UNREADABLE = ConnectErrorCode.SECRET_UNREADABLE


# --- runs ----------------------------------------------------------------------

def _enqueue(run_id: int, started_by_id: int | None = None) -> None:
    queue.enqueue_run(run_id, started_by_id=started_by_id)


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
    runs = [*stale_queued.values_list("pk", "started_by_id"), *stale_running.values_list("pk", "started_by_id")]
    for run_id, started_by_id in runs:
        _enqueue(run_id, started_by_id)  # still audited as the person who started it
    return [run_id for run_id, _started_by_id in runs]


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
            RunFile.objects.filter(pk=file_id).update(status=FileStatus.SKIPPED,
                                                      error=ConnectErrorCode.ALREADY_DELIVERED,
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
        backoff_seconds=settings.CONNECT_RETRY_BACKOFF_SECONDS, stale_part_seconds=settings.CONNECT_RUN_LEASE_SECONDS,
        processor=getattr(template_get(d.template), "processor", None),
        context={"org_id": d.org_id, "dataflow_id": d.pk, "dataflow_name": d.name})


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
            raise _RunStop(ConnectErrorCode.DATAFLOW_INACTIVE, "The dataflow is not active.")
        if template_get(d.template) is None:  # e.g. the app that registers it is not installed: never copy as is
            raise _RunStop(ConnectErrorCode.UNKNOWN_TEMPLATE, f"There is no template {d.template!r}.")
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
    rows = list(RunFile.objects.filter(run=run).values_list("name", "status"))
    delivered_names = {name for name, status in rows if status == FileStatus.DELIVERED}
    delivered = len(delivered_names)
    # A file interrupted with a dead consumer and delivered when the run was taken over is not a failure.
    failed = len({name for name, status in rows if status == FileStatus.FAILED and name not in delivered_names})
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
