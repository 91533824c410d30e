"""Runs over the API, and the connection checks: against a real SFTP server on loopback, real GnuPG and
the real task function (Huey in immediate mode stands in for a consumer)."""

import socket

import asyncssh
import pytest
from huey.contrib.djhuey import HUEY

from accessadmin.models import AuditEvent
from connect.models import DataflowRun, RunStatus, RunTrigger

from .admin_factories import armored, make_connection, make_dataflow
from .transfer_fixtures import decrypt, sha, write

pytestmark = pytest.mark.django_db

BASE = "/api/v1/connect"


@pytest.fixture
def immediate_queue():
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = False


def _connections(client, sftp):
    """Creates the source (alice) and destination (bob) connections over the API; returns their ids."""
    ids = []
    for name, user, password in (("exports", "alice", "alice-pw-2026"), ("partner", "bob", "bob-pw-2026")):
        r = client.post(f"{BASE}/connections/", {
            "name": name, "host": "127.0.0.1", "port": sftp.port, "username": user, "password": password,
            "host_key": sftp.host_key, "base_path": f"/{sftp.name}"}, format="json")
        assert r.status_code == 201, r.json()
        ids.append(r.json()["id"])
    return ids


def test_run_now_answers_202_queued_and_records_who(acme, acme_admin, api, django_capture_on_commit_callbacks):
    flow = make_dataflow(acme, source=make_connection(acme, "a"), destination=make_connection(acme, "b"))
    client = api(acme_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post(f"{BASE}/dataflows/{flow.pk}/run/")
    assert r.status_code == 202
    run = DataflowRun.objects.get()
    assert r.json() == {"id": run.pk, "status": "queued"}
    assert len(callbacks) == 1  # the task is enqueued once the run is committed
    assert (run.trigger, run.started_by) == (RunTrigger.MANUAL, acme_admin)
    event = AuditEvent.objects.get(action="connect.run.request")
    assert event.actor_repr == "acme-admin" and event.after == {"dataflow": flow.pk, "trigger": "manual"}
    body = client.get(f"{BASE}/runs/{run.pk}/").json()
    assert body["status"] == "queued" and body["started_at"] is None and body["finished_at"] is None
    assert body["files"] == [] and body["started_by"] == "acme-admin" and body["trigger"] == "manual"
    assert client.get(f"{BASE}/dataflows/{flow.pk}/").json()["last_run"]["status"] == "queued"


def test_a_run_encrypts_and_delivers_end_to_end(acme, acme_admin, api, sftp, immediate_queue,
                                                django_capture_on_commit_callbacks):
    client = api(acme_admin)
    exports, partner = _connections(client, sftp)
    # The recipient's public key; its private half (inbound_secret) opens what was delivered.
    r = client.post(f"{BASE}/pgp-keys/", {"name": "Partner", "armored": armored("inbound_public")}, format="json")
    key = r.json()["id"]
    r = client.post(f"{BASE}/dataflows/", {
        "name": "Exports to partner", "template": "sftp-to-sftp",
        "source": {"connection": exports, "path": "out", "pattern": r"export_.*\.csv"},
        "destination": {"connection": partner, "path": "in"},
        "encrypt": {"key": key, "armor": False, "compress": True}}, format="json")
    assert r.status_code == 201, r.json()
    flow = r.json()["id"]
    data = b"id,points\n1,10\n2,20\n" * 100
    write(sftp.area / "out" / "export_2026-11-30.csv", data)
    write(sftp.area / "out" / "notes.txt", b"not an export")

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"{BASE}/dataflows/{flow}/run/")
    assert r.status_code == 202 and r.json()["status"] == "queued"

    run = client.get(f"{BASE}/runs/{r.json()['id']}/").json()
    assert run["status"] == "succeeded", run
    assert run["started_at"] and run["finished_at"] and run["error"] is None
    delivered = (sftp.area / "in" / "export_2026-11-30.csv.pgp").read_bytes()
    assert run["files"] == [{"name": "export_2026-11-30.csv", "bytes_in": len(data), "bytes_out": len(delivered),
                             "sha256_out": sha(delivered), "status": "delivered", "error": ""}]
    assert data not in delivered and decrypt(delivered, armored("inbound_secret")) == data
    listing = client.get(f"{BASE}/dataflows/{flow}/runs/").json()
    assert listing["count"] == 1 and listing["results"][0] == run


def test_decrypt_with_a_key_pair_uploaded_over_the_api(acme, acme_admin, api, sftp, immediate_queue,
                                                       django_capture_on_commit_callbacks):
    client = api(acme_admin)
    exports, partner = _connections(client, sftp)
    pair = client.post(f"{BASE}/pgp-keys/", {"name": "Inbound", "armored": armored("inbound_secret")},
                       format="json").json()["id"]
    flow = client.post(f"{BASE}/dataflows/", {
        "name": "Inbound", "template": "sftp-to-sftp", "source": {"connection": exports, "path": "out"},
        "destination": {"connection": partner, "path": "in"}, "decrypt": {"key": pair},
        "after_success": "archive", "archive_path": "done"}, format="json").json()["id"]
    from connect import pgp

    with pgp.keyring() as gpg:
        gpg.import_keys(armored("inbound_secret"))
        fingerprint = gpg.list_keys()[0]["fingerprint"]
        sealed = gpg.encrypt(b"plain bytes\n", fingerprint, always_trust=True, armor=False).data
    write(sftp.area / "out" / "orders.csv.gpg", sealed)
    with django_capture_on_commit_callbacks(execute=True):
        run_id = client.post(f"{BASE}/dataflows/{flow}/run/").json()["id"]
    run = client.get(f"{BASE}/runs/{run_id}/").json()
    assert run["status"] == "succeeded", run
    assert (sftp.area / "in" / "orders.csv").read_bytes() == b"plain bytes\n"
    assert (sftp.area / "done" / "orders.csv.gpg").read_bytes() == sealed  # archived on the source
    assert not (sftp.area / "out" / "orders.csv.gpg").exists()


def test_test_and_host_key_endpoints_against_a_real_server(acme, acme_admin, api, sftp):
    client = api(acme_admin)
    exports, _ = _connections(client, sftp)
    url = f"{BASE}/connections/{exports}"
    assert client.post(f"{url}/test/").json() == {"ok": True, "code": None,
                                                  "message": "Connected and listed the base path."}
    r = client.post(f"{url}/host-key/")
    assert r.status_code == 200
    assert r.json()["host_key"] == sftp.host_key and r.json()["fingerprint"].startswith("SHA256:")
    assert r.json()["matches_pinned"] is True
    assert sftp.events.count(("password", "alice")) == 1  # fetching the host key logs nothing in

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    other = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode()
    cases = [({"password": "wrong"}, "auth_failed"), ({"base_path": "/no-such-dir"}, "path_missing"),
             ({"base_path": "/locked"}, "permission_denied"), ({"host_key": other}, "host_key_mismatch"),
             ({"port": closed}, "unreachable")]
    for change, code in cases:
        client.patch(f"{url}/", {"password": "alice-pw-2026", "base_path": f"/{sftp.name}",
                                 "host_key": sftp.host_key, "port": sftp.port, **change}, format="json")
        body = client.post(f"{url}/test/").json()
        assert (body["ok"], body["code"]) == (False, code), body
        assert body["message"]
    # The server's key is not the pinned one: the fingerprint shows it; nothing is trusted until PATCHed.
    client.patch(f"{url}/", {"port": sftp.port, "host_key": other}, format="json")
    r = client.post(f"{url}/host-key/")
    assert r.json()["matches_pinned"] is False and r.json()["host_key"] == sftp.host_key
    assert client.get(f"{url}/").json()["host_key"] == other.strip()
    client.patch(f"{url}/", {"port": closed}, format="json")
    r = client.post(f"{url}/host-key/")
    assert r.status_code == 502 and r.json()["code"] == "unreachable"


def test_another_orgs_run_is_404(acme, globex_admin, api):
    flow = make_dataflow(acme, source=make_connection(acme, "a"), destination=make_connection(acme, "b"))
    run = DataflowRun.objects.create(dataflow=flow)
    client = api(globex_admin)
    assert client.get(f"{BASE}/runs/{run.pk}/").status_code == 404
    assert client.get(f"{BASE}/dataflows/{flow.pk}/runs/").status_code == 404


def test_query_count_of_the_run_list_is_constant(acme, acme_admin, api, django_assert_num_queries):
    flow = make_dataflow(acme, source=make_connection(acme, "a"), destination=make_connection(acme, "b"))
    client = api(acme_admin)
    url = f"{BASE}/dataflows/{flow.pk}/runs/"

    def add_run(n_files):
        run = DataflowRun.objects.create(dataflow=flow, started_by=acme_admin, status=RunStatus.SUCCEEDED)
        for i in range(n_files):
            run.files.create(name=f"f{i}.csv", bytes_in=10, bytes_out=12, sha256_out="0" * 64, status="delivered")

    add_run(1)
    # token, access rights, the dataflow, count, page of runs, their files
    with django_assert_num_queries(6):
        assert len(client.get(url).json()["results"]) == 1
    for _ in range(20):
        add_run(3)
    with django_assert_num_queries(6):
        assert len(client.get(url).json()["results"]) == 21
