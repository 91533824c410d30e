"""The Connect+ demo end to end: seed_demo's rows, the demo SFTP server (the one `make run` starts, here on
a free loopback port and a temporary directory), a run executed by the real task function, and the
delivered file opened with the demo private key, as the README tells a newcomer to do."""

import os
from io import StringIO

import pytest
from django.core.management import call_command
from huey.contrib.djhuey import HUEY

from accessadmin.models import AuditEvent, User
from connect import demo, sftp_server
from connect.management.commands.sftp_demo_server import DEMO_USERS
from connect.models import Dataflow, DataflowRun, PgpKey, SftpConnection

from .transfer_fixtures import decrypt

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_server(tmp_path, monkeypatch):
    root = tmp_path / "var" / "sftp-demo"
    key = sftp_server.host_key(tmp_path / "var" / "sftp-demo-host-key")
    server = sftp_server.ServerThread(root=str(root), host="127.0.0.1", port=0, users=DEMO_USERS, key=key).start()
    monkeypatch.setenv("SFTP_DEMO_ROOT", str(root))
    monkeypatch.setenv("SFTP_DEMO_PORT", str(server.port))
    yield root
    server.stop()


def _counts():
    return (SftpConnection.objects.count(), PgpKey.objects.count(), Dataflow.objects.count(),
            AuditEvent.objects.filter(action__startswith="connect.").count())


def test_seed_demo_is_idempotent(demo_server, settings):
    settings.CONNECT_ALLOWED_NETWORKS = []  # seeding works where loopback is not allowed, too
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    assert first[:3] == (2, 1, 1)
    sample = demo_server / "exports" / "out" / demo.SAMPLE_NAME
    assert sample.read_text() == demo.SAMPLE
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _counts() == first and "Exports to partner" in out.getvalue()
    flow = Dataflow.objects.select_related("encrypt_key").get()
    assert flow.org.code == "acme" and flow.encrypt_key.name == demo.PARTNER_KEY_NAME
    assert flow.encrypt_key.can_encrypt and not flow.encrypt_key.can_decrypt  # only the public half


def test_the_demo_run_succeeds_and_the_demo_private_key_opens_the_result(demo_server, settings, api,
                                                                        django_capture_on_commit_callbacks):
    from accessadmin import demo as core_demo

    demo.seed(orgs=core_demo.seed())
    settings.CONNECT_ALLOWED_NETWORKS = ["127.0.0.0/8"]  # as `make run` sets it
    client = api(User.objects.get(username="acme-admin"))
    flow = Dataflow.objects.get(name=demo.DATAFLOW_NAME)
    for connection in SftpConnection.objects.all():
        assert client.post(f"/api/v1/connect/connections/{connection.pk}/test/").json()["ok"] is True

    HUEY.immediate = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_id = client.post(f"/api/v1/connect/dataflows/{flow.pk}/run/").json()["id"]
        with django_capture_on_commit_callbacks(execute=True):
            again = client.post(f"/api/v1/connect/dataflows/{flow.pk}/run/").json()["id"]
    finally:
        HUEY.immediate = False

    run = client.get(f"/api/v1/connect/runs/{run_id}/").json()
    assert run["status"] == "succeeded" and run["started_by"] == "acme-admin"
    assert [(f["name"], f["status"]) for f in run["files"]] == [(demo.SAMPLE_NAME, "delivered")]
    delivered = demo_server / "partner" / "inbox" / f"{demo.SAMPLE_NAME}.pgp"
    secret = (demo.KEYS / "partner-demo-secret.asc").read_text()
    assert decrypt(delivered.read_bytes(), secret) == demo.SAMPLE.encode()
    assert (demo_server / "exports" / "out" / demo.SAMPLE_NAME).exists()  # after_success: keep
    # A second run skips what was delivered: nothing new in the inbox.
    second = DataflowRun.objects.get(pk=again)
    assert second.status == "succeeded" and os.listdir(demo_server / "partner" / "inbox") == [delivered.name]
    assert not second.files.filter(status="delivered").exists()
