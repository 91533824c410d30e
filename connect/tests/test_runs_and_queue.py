"""Runs on the task queue: the per-dataflow lock, the schedule, recovery after a consumer dies, and the
connection checks. Real SFTP server on loopback, real Huey task functions, real consumer processes."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection as db_connection
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from accessadmin import crypto
from accessadmin.models import AuditEvent
from connect import services, services_admin, tasks
from connect import sftp as sftplib
from connect.models import Dataflow, DataflowRun, DeliveredFile, FileStatus, RunStatus, RunTrigger, SftpConnection

from .transfer_fixtures import files_of, make_connection, make_dataflow, run_now, write

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def immediate_queue():
    """Tasks run as they are enqueued, in this thread (Huey's immediate mode, in-memory storage)."""
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = False


def _endpoint(env, **overrides):
    values = {"host": "127.0.0.1", "port": env.port, "username": "alice", "password": "alice-pw-2026",
              "host_key": env.host_key, "base_path": f"/{env.name}", **overrides}
    return sftplib.Endpoint(**values)


def _run(coro):
    """Runs `coro` on a new event loop in a thread of its own (a browser test earlier in the same
    worker may leave a loop running in this one)."""
    import asyncio
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _check(endpoint, timeout=3):
    try:
        _run(sftplib.check(endpoint, timeout=timeout))
        return "ok"
    except sftplib.SftpError as exc:
        return exc.code


# --- connection checks (what POST /{id}/test/ and /{id}/host-key/ call) -------------------------------

def test_connection_check_answers_each_failure_with_its_code(sftp):  # noqa: F811 - the fixture
    import asyncssh

    other_key = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    assert _check(_endpoint(sftp)) == "ok"
    assert _check(_endpoint(sftp, password="wrong")) == "auth_failed"
    assert _check(_endpoint(sftp, host_key=f"[127.0.0.1]:{sftp.port} {other_key}")) == "host_key_mismatch"
    assert _check(_endpoint(sftp, base_path="/no-such-dir")) == "path_missing"
    assert _check(_endpoint(sftp, base_path="/locked")) == "permission_denied"
    assert _check(_endpoint(sftp, port=closed_port)) == "unreachable"
    assert [e for e in sftp.events if e[1] == "alice"] == [("password", "alice")] * 4  # none for the wrong key


def test_connection_check_times_out_on_a_server_that_never_answers(sftp):  # noqa: F811
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never sends the SSH banner
    try:
        started = time.monotonic()
        assert _check(_endpoint(sftp, port=silent.getsockname()[1]), timeout=1) == "timeout"
        assert time.monotonic() - started < 3
    finally:
        silent.close()


def test_loopback_and_private_hosts_are_refused_unless_allowed(sftp, settings):  # noqa: F811
    settings.CONNECT_ALLOWED_NETWORKS = []
    assert _check(_endpoint(sftp)) == "host_not_allowed"
    assert _check(_endpoint(sftp, host="localhost")) == "host_not_allowed"
    assert not sftp.events  # refused before connecting
    assert [sftplib.address_allowed(a) for a in ("10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "fe80::1",
                                         "93.184.216.34")] == [False, False, False, False, False, True]
    settings.CONNECT_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    assert _check(_endpoint(sftp)) == "ok"


def test_fetch_host_key_returns_the_offered_key_and_its_fingerprint(sftp):  # noqa: F811
    line, fingerprint = _run(sftplib.fetch_host_key("127.0.0.1", sftp.port))
    assert line == sftp.host_key
    assert fingerprint == sftplib.host_key_fingerprint(sftp.host_key)
    assert fingerprint.startswith("SHA256:")
    assert sftp.events == []  # no login tried


# --- the queue ----------------------------------------------------------------------------------------------

def test_the_run_task_is_idempotent(acme, sftp, immediate_queue):  # noqa: F811
    write(sftp.area / "out" / "a.csv", b"a")
    flow = make_dataflow(acme, sftp)
    run = DataflowRun.objects.create(dataflow=flow)

    tasks.run_dataflow(run.pk)
    tasks.run_dataflow(run.pk)  # delivered twice by the queue: runs once

    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.attempts == 1
    assert files_of(run) == {"a.csv": (FileStatus.DELIVERED, "")}
    assert os.listdir(sftp.area / "in") == ["a.csv"]


def test_a_run_waits_while_another_run_of_the_dataflow_holds_the_lock(acme, sftp):  # noqa: F811
    flow = make_dataflow(acme, sftp)
    holder = DataflowRun.objects.create(dataflow=flow, status=RunStatus.RUNNING)
    Dataflow.objects.filter(pk=flow.pk).update(lock_run=holder, lock_expires_at=timezone.now() + timedelta(minutes=1))
    waiting = DataflowRun.objects.create(dataflow=flow)

    assert services.run_execute(run_id=waiting.pk) == "busy"
    waiting.refresh_from_db()
    assert waiting.status == RunStatus.QUEUED


def test_the_schedule_queues_due_dataflows_once(acme, sftp, immediate_queue, django_capture_on_commit_callbacks):  # noqa: F811
    write(sftp.area / "out" / "a.csv", b"a")
    flow = make_dataflow(acme, sftp, schedule="*/5 * * * *", next_run_at=timezone.now() - timedelta(seconds=1))
    idle = make_dataflow(acme, sftp, schedule="*/5 * * * *", next_run_at=timezone.now() + timedelta(minutes=3))
    inactive = make_dataflow(acme, sftp, schedule="* * * * *", active=False,
                             next_run_at=timezone.now() - timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        queued = services.schedule_due()
        again = services.schedule_due()  # a second consumer's scheduler in the same minute

    assert again == [] and len(queued) == 1
    run = DataflowRun.objects.get(pk=queued[0])
    assert (run.dataflow_id, run.trigger, run.started_by, run.status) == (flow.pk, RunTrigger.SCHEDULE, None,
                                                                          RunStatus.SUCCEEDED)
    flow.refresh_from_db()
    assert flow.next_run_at > timezone.now() and flow.next_run_at.minute % 5 == 0
    assert not DataflowRun.objects.filter(dataflow__in=[idle, inactive]).exists()


def test_a_run_is_audited_as_its_task_and_the_person_who_started_it(acme, acme_admin, sftp, immediate_queue,  # noqa: F811
                                                                     django_capture_on_commit_callbacks):
    write(sftp.area / "out" / "a.csv", b"a")
    flow = make_dataflow(acme, sftp)
    with django_capture_on_commit_callbacks(execute=True):
        run = services_admin.run_start(actor=acme_admin, org=acme, flow=flow)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    requested = AuditEvent.objects.get(action="connect.run.request", target_id=str(run.pk))
    assert (requested.actor_kind, requested.actor) == ("user", acme_admin)  # the page or API door
    for action in ("connect.run.start", "connect.run.finish"):
        event = AuditEvent.objects.get(action=action, target_id=str(run.pk))
        assert (event.actor_kind, event.actor_label, event.actor, event.actor_repr) == (
            "task", "connect.run_dataflow", acme_admin, "task:connect.run_dataflow (acme-admin)"), action

    # The schedule's runs are the schedule task's, started by nobody.
    flow.schedule, flow.next_run_at = "* * * * *", timezone.now() - timedelta(seconds=1)
    flow.save(update_fields=["schedule", "next_run_at"])
    with django_capture_on_commit_callbacks(execute=True):
        tasks.schedule_dataflows.call_local()
    scheduled = DataflowRun.objects.exclude(pk=run.pk).get(dataflow=flow)
    assert [(e.actor_kind, e.actor_label, e.actor) for e in AuditEvent.objects.filter(
        target_id=str(scheduled.pk), target_type="connect.dataflowrun").order_by("id")] == [
        ("task", "connect.schedule_dataflows", None), ("task", "connect.run_dataflow", None),
        ("task", "connect.run_dataflow", None)]


def test_the_schedule_does_not_start_a_dataflow_that_is_still_running(acme, sftp):  # noqa: F811
    flow = make_dataflow(acme, sftp, schedule="* * * * *", next_run_at=timezone.now() - timedelta(seconds=1))
    DataflowRun.objects.create(dataflow=flow, status=RunStatus.RUNNING, heartbeat_at=timezone.now())
    assert services.schedule_due() == []
    assert DataflowRun.objects.filter(dataflow=flow).count() == 1


# SQLite has one writer: the racing consumers wait on its file lock instead of on the dataflow's lock,
# which makes the race a timing test there. PostgreSQL races them for real.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_consumers_racing_on_one_dataflow_deliver_each_file_once(acme, sftp):  # noqa: F811
    for i in range(6):
        write(sftp.area / "out" / f"f{i}.csv", os.urandom(200_000))
    flow = make_dataflow(acme, sftp)
    runs = [DataflowRun.objects.create(dataflow=flow) for _ in range(2)]
    outcomes = {}
    barrier = threading.Barrier(2)

    def consumer(run_id):
        barrier.wait()
        try:
            outcomes[run_id] = services.run_execute(run_id=run_id)
        finally:
            db_connection.close()

    threads = [threading.Thread(target=consumer, args=(r.pk,)) for r in runs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    # One consumer ran; the other found the lock taken (busy: the task retries it later), or the first
    # had already finished and it ran too, finding every file delivered.
    assert sorted(outcomes.values()) in (["busy", "done"], ["done", "done"])
    for run_id, outcome in outcomes.items():
        if outcome == "busy":
            assert services.run_execute(run_id=run_id) == "done"
    assert sorted(os.listdir(sftp.area / "in")) == [f"f{i}.csv" for i in range(6)]
    assert DeliveredFile.objects.filter(dataflow=flow).count() == 6
    delivered_rows = sum(1 for r in runs for f in r.files.all() if f.status == FileStatus.DELIVERED)
    assert delivered_rows == 6
    assert not Dataflow.objects.filter(pk=flow.pk, lock_run__isnull=False).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_consumer_killed_mid_run_is_finished_by_the_next_one(acme, sftp, settings, tmp_path):  # noqa: F811
    """A real `run_huey` consumer is SIGKILLed as it starts uploading; after its lease the recovery
    hands the run to the queue again and it finishes, each file delivered once."""
    for i in range(3):
        write(sftp.area / "out" / f"f{i}.csv", os.urandom(300_000))
    flow = make_dataflow(acme, sftp)
    run = DataflowRun.objects.create(dataflow=flow)
    settings.CONNECT_RUN_LEASE_SECONDS = 2

    queue_file = tmp_path / "tasks.sqlite3"
    db = settings.DATABASES["default"]
    env = {**os.environ, "TASKS_SQLITE_PATH": str(queue_file), "CONNECT_RUN_LEASE_SECONDS": "2",
           "CONNECT_ALLOWED_NETWORKS": "127.0.0.0/8", "TASKS_REDIS_URL": "",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    consumer = subprocess.Popen([sys.executable, "manage.py", "run_huey", "-w", "1", "--no-periodic"], cwd=ROOT,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    killed = threading.Event()

    def kill_on_second_upload(path, flags):
        # Open flags with "write" set: an upload. The first file goes through; the consumer dies as
        # it starts the second one.
        if path.endswith(".connect-part") and flags & 0x02:
            kill_on_second_upload.uploads += 1
            if kill_on_second_upload.uploads == 2:
                os.killpg(consumer.pid, signal.SIGKILL)
                killed.set()

    kill_on_second_upload.uploads = 0
    sftp.hooks["on_open"] = kill_on_second_upload
    try:
        from huey import SqliteHuey

        # Enqueue into the consumer's queue file (this process's queue stays as it is).
        original = HUEY.storage
        HUEY.storage = SqliteHuey("accessadmin", filename=str(queue_file)).storage
        try:
            tasks.run_dataflow(run.pk)
        finally:
            HUEY.storage = original
        assert killed.wait(30), consumer.stderr.read().decode() if consumer.poll() is not None else "no upload"
        consumer.wait(10)
    finally:
        if consumer.poll() is None:
            os.killpg(consumer.pid, signal.SIGKILL)
            consumer.wait(10)
    sftp.hooks["on_open"] = None
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING  # nobody finished it

    time.sleep(2.5)  # the dead consumer's lease runs out
    HUEY.immediate = True
    try:
        assert services.runs_recover() == [run.pk]  # handed to the queue again (run here, immediately)
    finally:
        HUEY.immediate = False

    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.attempts == 2
    assert sorted(os.listdir(sftp.area / "in")) == ["f0.csv", "f1.csv", "f2.csv"]  # once each, no leftovers
    assert DeliveredFile.objects.filter(dataflow=flow).count() == 3


# --- secrets at rest -------------------------------------------------------------------------------------------

def test_rotate_field_keys_re_encrypts_every_secret_with_the_first_key(acme, sftp, settings):  # noqa: F811
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    conn = make_connection(acme, sftp)
    token = SftpConnection.objects.get(pk=conn.pk).password_encrypted
    assert "alice-pw-2026" not in token

    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_field_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115

    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key can go now
    rotated = SftpConnection.objects.get(pk=conn.pk)
    assert rotated.password_encrypted != token
    assert crypto.decrypt(rotated.password_encrypted) == "alice-pw-2026"
    assert run_now(make_dataflow(acme, sftp, source=rotated, destination=rotated,
                                 destination_path="out")).status == RunStatus.SUCCEEDED
    settings.FIELD_ENCRYPTION_KEYS = [old]
    with pytest.raises(crypto.SecretUnreadable):
        crypto.decrypt(rotated.password_encrypted)
