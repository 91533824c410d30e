"""Connect+ pages, through the front door: a logged-in browser-like client posting forms."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accessadmin import crypto
from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from connect.models import Dataflow, DataflowRun, PgpKey, RunStatus, SftpConnection

from .admin_factories import armored, client_key, host_key, make_connection, make_dataflow, make_key

pytestmark = pytest.mark.django_db

SECRET = "s3cret-pw-for-pages"


def text(response) -> str:
    return response.content.decode()


def connection_post(**fields):
    return {"name": "Exports", "host": "sftp.example.com", "port": "22", "username": "acme", "password": SECRET,
            "host_key": host_key(), "base_path": "/upload", "action": "save", **fields}


def test_the_connect_section_is_in_the_menu_of_who_may_use_it(acme, acme_admin, pages):
    page = text(pages(acme_admin).get("/"))
    assert "Connect+" in page and 'href="/connect/dataflows/"' in page and 'href="/connect/keys/"' in page
    csr = pages(make_user(acme, privileges=[Privilege.CS_AGENT]))
    assert "Connect+" not in text(csr.get("/"))
    for url in ("/connect/dataflows/", "/connect/connections/", "/connect/keys/", "/connect/connections/new/",
                "/connect/dataflows/new/sftp-to-sftp/"):
        assert csr.get(url).status_code == 403, url
    assert csr.post("/connect/connections/new/", connection_post()).status_code == 403
    assert not SftpConnection.objects.exists()
    assert pages(make_user(acme, privileges=[Privilege.CONNECT])).get("/connect/dataflows/").status_code == 200


def test_create_a_connection_its_secret_never_comes_back(acme, acme_admin, pages):
    client = pages(acme_admin)
    r = client.get("/connect/connections/new/")
    assert r.status_code == 200 and 'name="password"' in text(r) and 'value="22"' in text(r)
    r = client.post("/connect/connections/new/", connection_post())
    connection = SftpConnection.objects.get()
    assert r.status_code == 302 and r.url == f"/connect/connections/{connection.pk}/"
    assert crypto.decrypt(connection.password_encrypted) == SECRET
    detail = text(client.get(r.url))
    assert "Connection Exports created." in detail and re.search(r"SHA256:[A-Za-z0-9+/]{43}", detail)
    for url in (r.url, "/connect/connections/", f"/connect/connections/{connection.pk}/edit/"):
        page = text(client.get(url))
        assert SECRET not in page and connection.password_encrypted not in page


def test_connection_form_errors_are_shown_and_nothing_is_saved(acme, acme_admin, pages):
    client = pages(acme_admin)
    r = client.post("/connect/connections/new/", connection_post(password=""))
    assert r.status_code == 200 and "A password or a private key is required." in text(r)
    assert not SftpConnection.objects.exists()
    r = client.post("/connect/connections/new/", connection_post(host_key="nonsense"))
    assert "Not an SSH public key." in text(r) and SECRET not in text(r)
    assert not SftpConnection.objects.exists()


def test_editing_keeps_an_empty_secret_and_removes_one_on_request(acme, acme_admin, pages):
    connection = make_connection(acme, "Exports")
    client = pages(acme_admin)
    url = f"/connect/connections/{connection.pk}/edit/"
    r = client.post(url, connection_post(password="", port="2022"))
    assert r.status_code == 302
    connection.refresh_from_db()
    assert connection.port == 2022 and crypto.decrypt(connection.password_encrypted) == "s3cret-pw"
    r = client.post(url, connection_post(password="", remove_password="on"))
    assert "A password or a private key is required." in text(r)
    r = client.post(url, connection_post(password="", remove_password="on", private_key=client_key()))
    assert r.status_code == 302
    connection.refresh_from_db()
    assert (connection.has_password, connection.has_private_key) == (False, True)
    assert AuditEvent.objects.filter(action="connect.connection.update").count() == 2


def test_fetch_host_key_fills_the_form_to_confirm(acme, acme_admin, pages, sftp):
    client = pages(acme_admin)
    r = client.post("/connect/connections/new/", connection_post(
        host="127.0.0.1", port=str(sftp.port), host_key="", action="fetch_host_key"))
    page = text(r)
    assert r.status_code == 200 and not SftpConnection.objects.exists()
    fingerprint = services_fingerprint(sftp.host_key)
    assert f"offers <code>{fingerprint}</code>" in page
    assert sftp.host_key in page  # put into the host key field
    assert SECRET not in page and "enter them again" in page
    r = client.post("/connect/connections/new/", connection_post(host="127.0.0.1", port=str(sftp.port),
                                                                  host_key="", action="fetch_host_key"),
                    HTTP_HX_REQUEST="true")
    assert 'id="host-key-block"' in text(r)
    r = client.post("/connect/connections/new/", connection_post(host="", action="fetch_host_key"))
    assert "Enter the host first." in text(r)


def services_fingerprint(line):
    from connect import services_admin

    return services_admin.host_key_fingerprint(line)


def test_test_button_shows_ok_or_the_error_in_words(acme, acme_admin, pages, sftp):
    connection = SftpConnection.objects.get(pk=make_connection(
        acme, "Exports", host="127.0.0.1", port=sftp.port, username="alice", password="alice-pw-2026",
        host_key=sftp.host_key, base_path=f"/{sftp.name}").pk)
    client = pages(acme_admin)
    r = client.post(f"/connect/connections/{connection.pk}/test/", follow=True)
    assert "Exports: Connected and listed the base path." in text(r)
    client.post(f"/connect/connections/{connection.pk}/edit/", connection_post(
        name="Exports", host="127.0.0.1", port=str(sftp.port), username="alice", password="wrong",
        host_key=sftp.host_key, base_path=f"/{sftp.name}"))
    r = client.post(f"/connect/connections/{connection.pk}/test/", follow=True)
    assert "The server refused the username, password or key. (auth_failed)" in text(r)
    assert client.get(f"/connect/connections/{connection.pk}/test/").status_code == 405


def test_host_key_page_shows_the_offered_fingerprint_and_trusts_it_on_confirmation(acme, acme_admin, pages, sftp):
    connection = make_connection(acme, "Exports", host="127.0.0.1", port=sftp.port, host_key=host_key(3))
    client = pages(acme_admin)
    r = client.post(f"/connect/connections/{connection.pk}/host-key/", {"action": "fetch"})
    page = text(r)
    assert services_fingerprint(sftp.host_key) in page and "<strong>not</strong> the key" in page
    connection.refresh_from_db()
    assert connection.host_key == host_key(3)  # nothing trusted yet
    r = client.post(f"/connect/connections/{connection.pk}/host-key/",
                    {"action": "trust", "host_key": sftp.host_key}, follow=True)
    connection.refresh_from_db()
    assert connection.host_key == sftp.host_key
    assert f"now trusts the host key {services_fingerprint(sftp.host_key)}" in text(r)
    r = client.post(f"/connect/connections/{connection.pk}/host-key/", {"action": "fetch"})
    assert "the key this connection already trusts" in text(r)


def test_keys_upload_by_file_or_text_and_delete_after_confirmation(acme, acme_admin, pages):
    client = pages(acme_admin)
    upload = SimpleUploadedFile("partner.asc", armored("partner_public").encode())
    r = client.post("/connect/keys/new/", {"name": "Partner", "armored": "", "file": upload})
    assert r.status_code == 302 and "PGP public key Partner added." in text(client.get(r.url))
    r = client.post("/connect/keys/new/", {"name": "Inbound", "armored": armored("inbound_secret")})
    assert r.status_code == 302
    page = text(client.get("/connect/keys/"))
    assert "PRIVATE" not in page and page.count('class="tag ok">decrypt') == 1
    r = client.post("/connect/keys/new/", {"name": "Nothing"})
    assert "Paste the key or upload its file." in text(r)
    r = client.post("/connect/keys/new/", {"name": "Bad", "armored": "hello"})
    assert "Not a single ASCII-armored PGP key." in text(r)
    key = PgpKey.objects.get(name="Partner")
    r = client.get(f"/connect/keys/{key.pk}/delete/")
    assert "Delete PGP key Partner?" in text(r) and PgpKey.objects.filter(pk=key.pk).exists()
    r = client.post(f"/connect/keys/{key.pk}/delete/")
    assert r.status_code == 302 and not PgpKey.objects.filter(pk=key.pk).exists()


def _flow_post(acme, **fields):
    exports, partner = (SftpConnection.objects.get(org=acme, name=n) for n in ("exports", "partner"))
    return {"name": "Exports to partner", "source__connection": exports.pk, "source__path": "out",
            "source__pattern": ".*", "destination__connection": partner.pk, "destination__path": "in",
            "destination__on_conflict": "fail", "after_success": "keep", "archive_path": "", "schedule": "",
            "active": "on", **fields}


def test_dataflow_form_is_built_from_the_template_and_creates(acme, acme_admin, pages):
    make_connection(acme, "exports"), make_connection(acme, "partner")
    key = make_key(acme, "Partner")
    client = pages(acme_admin)
    assert 'href="/connect/dataflows/new/sftp-to-sftp/"' in text(client.get("/connect/dataflows/new/"))
    page = text(client.get("/connect/dataflows/new/sftp-to-sftp/"))
    for name in ("source__connection", "source__pattern", "source__recursive", "destination__on_conflict",
                 "decrypt__enabled", "decrypt__key", "encrypt__key", "encrypt__armor", "encrypt__compress",
                 "after_success", "archive_path", "schedule"):
        assert f'name="{name}"' in page, name
    assert 'value=".*"' in page
    r = client.post("/connect/dataflows/new/sftp-to-sftp/", _flow_post(
        acme, encrypt__enabled="on", encrypt__key=key.pk, encrypt__compress="on", schedule="30 2 * * *"))
    flow = Dataflow.objects.get()
    assert r.status_code == 302 and r.url == f"/connect/dataflows/{flow.pk}/"
    assert (flow.encrypt_key, flow.encrypt_compress, flow.encrypt_armor, flow.decrypt_key) == (key, True, False, None)
    detail = text(client.get(r.url))
    assert "At 02:30 (UTC)" in detail and "for Partner" in detail and "Run now" in detail
    assert "At 02:30 (UTC)" in text(client.get("/connect/dataflows/"))


def test_dataflow_form_shows_errors_on_their_fields(acme, acme_admin, pages):
    make_connection(acme, "exports"), make_connection(acme, "partner")
    client = pages(acme_admin)
    url = "/connect/dataflows/new/sftp-to-sftp/"
    r = client.post(url, _flow_post(acme, source__pattern="(oops", schedule="every day"))
    page = text(r)
    assert r.status_code == 200 and "Not a regular expression." in page
    r = client.post(url, _flow_post(acme, schedule="every day"))
    assert "Not a cron expression of five fields." in text(r)
    r = client.post(url, _flow_post(acme, encrypt__enabled="on"))
    assert "Required to encrypt." in text(r)
    r = client.post(url, _flow_post(acme, after_success="archive"))
    assert "Required when files are archived." in text(r)
    assert not Dataflow.objects.exists()
    assert client.get("/connect/dataflows/new/ftp-to-mars/").status_code == 404


def test_edit_a_dataflow(acme, acme_admin, pages):
    exports, partner = make_connection(acme, "exports"), make_connection(acme, "partner")
    flow = make_dataflow(acme, source=exports, destination=partner, schedule="*/15 * * * *")
    client = pages(acme_admin)
    page = text(client.get(f"/connect/dataflows/{flow.pk}/edit/"))
    assert 'value="*/15 * * * *"' in page and "Every 15 minutes (UTC)" in page
    r = client.post(f"/connect/dataflows/{flow.pk}/edit/", _flow_post(acme, name="Renamed", schedule=""))
    assert r.status_code == 302
    flow.refresh_from_db()
    assert flow.name == "Renamed" and flow.schedule == "" and flow.next_run_at is None


def test_run_now_queues_and_the_run_page_polls_until_it_ends(acme, acme_admin, pages,
                                                           django_capture_on_commit_callbacks):
    flow = make_dataflow(acme, source=make_connection(acme, "a"), destination=make_connection(acme, "b"))
    client = pages(acme_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post(f"/connect/dataflows/{flow.pk}/run/")
    run = DataflowRun.objects.get()
    assert r.status_code == 302 and r.url == f"/connect/runs/{run.pk}/" and len(callbacks) == 1
    assert run.started_by == acme_admin
    page = text(client.get(r.url))
    assert f'hx-get="/connect/runs/{run.pk}/progress/"' in page and 'hx-trigger="every 1s"' in page
    assert "Waiting for a consumer" in page
    DataflowRun.objects.filter(pk=run.pk).update(status=RunStatus.PARTIAL, files_total=2, files_done=1,
                                                 files_failed=1)
    run.files.create(name="a.csv", status="delivered", bytes_in=3, bytes_out=90, sha256_out="ab" * 32)
    run.files.create(name="b.csv", status="failed", error="pgp_wrong_key")
    fragment = text(client.get(f"/connect/runs/{run.pk}/progress/"))
    assert "hx-trigger" not in fragment  # finished: polling stops
    assert "1 of 2 files delivered, 1 failed" in fragment
    assert "The file was not encrypted to this dataflow&#x27;s private key." in fragment
    assert "ab" * 32 in fragment
    assert client.get(f"/connect/runs/{run.pk}/progress/").status_code == 200
    assert client.get(f"/connect/dataflows/{flow.pk}/run/").status_code == 405


def test_delete_pages_confirm_and_refuse_what_is_in_use(acme, acme_admin, pages):
    a, b = make_connection(acme, "A"), make_connection(acme, "B")
    flow = make_dataflow(acme, source=a, destination=b)
    client = pages(acme_admin)
    r = client.post(f"/connect/connections/{a.pk}/delete/")
    assert r.status_code == 200 and "is used by dataflow" in text(r) and SftpConnection.objects.filter(pk=a.pk).exists()
    assert "Delete dataflow" in text(client.get(f"/connect/dataflows/{flow.pk}/delete/"))
    assert client.post(f"/connect/dataflows/{flow.pk}/delete/").status_code == 302
    assert client.post(f"/connect/connections/{a.pk}/delete/").status_code == 302
    assert not SftpConnection.objects.filter(pk=a.pk).exists()


def test_another_orgs_objects_are_404_on_pages(acme, globex_admin, pages):
    a, b = make_connection(acme, "A"), make_connection(acme, "B")
    flow = make_dataflow(acme, source=a, destination=b)
    key = make_key(acme)
    run = DataflowRun.objects.create(dataflow=flow)
    client = pages(globex_admin)
    for url in (f"/connect/connections/{a.pk}/", f"/connect/connections/{a.pk}/edit/",
                f"/connect/connections/{a.pk}/delete/", f"/connect/keys/{key.pk}/delete/",
                f"/connect/dataflows/{flow.pk}/", f"/connect/dataflows/{flow.pk}/edit/",
                f"/connect/runs/{run.pk}/", f"/connect/runs/{run.pk}/progress/"):
        assert client.get(url).status_code == 404, url
    for url in (f"/connect/connections/{a.pk}/test/", f"/connect/dataflows/{flow.pk}/run/",
                f"/connect/dataflows/{flow.pk}/delete/", f"/connect/keys/{key.pk}/delete/"):
        assert client.post(url).status_code == 404, url
    assert Dataflow.objects.filter(pk=flow.pk).exists() and DataflowRun.objects.count() == 1


@pytest.mark.parametrize("url,total,add", [
    ("/connect/connections/", 17, lambda org, i, ctx: make_connection(org, f"c{i}")),
    ("/connect/keys/", 16, lambda org, i, ctx: PgpKey.objects.create(org=org, name=f"k{i}", fingerprint="F" * 40,
                                                                 public_armored="x", can_encrypt=True)),
    ("/connect/dataflows/", 15, lambda org, i, ctx: make_dataflow(org, f"d{i}", source=ctx["a"], destination=ctx["b"],
                                                              schedule="0 * * * *",
                                                              encrypt={"key": ctx["key"].pk, "armor": False,
                                                                       "compress": True})),
])
def test_query_count_of_list_pages_is_constant(acme, acme_admin, pages, constant_queries, url, total, add):
    ctx = {"a": make_connection(acme, "src"), "b": make_connection(acme, "dst"), "key": make_key(acme, "P")}
    add(acme, 0, ctx)
    response = constant_queries(pages(acme_admin), url, 6, lambda: [add(acme, i, ctx) for i in range(1, 15)])
    assert f"{total} in all" in text(response)


@pytest.mark.parametrize("url,header", [
    ("/connect/connections/?format=csv&sort=-name", ["Name", "Server", "User", "Host key fingerprint", "Base path"]),
    ("/connect/keys/?format=csv&q=k", ["Name", "Fingerprint", "User IDs", "Can", "Expires"]),
    ("/connect/dataflows/?format=csv&sort=-last_run", ["Name", "From", "To", "Schedule", "Last run",
                                                        "Last run status", "Active"]),
])
def test_connect_lists_export_csv_in_constant_queries(acme, acme_admin, pages, django_assert_num_queries, url,
                                                      header):
    import csv
    import io

    ctx = {"a": make_connection(acme, "src"), "b": make_connection(acme, "dst"), "key": make_key(acme, "k0")}
    client = pages(acme_admin)

    def rows():
        response = client.get(url)
        assert response["Content-Disposition"].startswith("attachment; filename=")
        return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    make_dataflow(acme, "d0", source=ctx["a"], destination=ctx["b"])
    with django_assert_num_queries(5):
        first = rows()
    assert first[0] == header
    for i in range(1, 20):
        make_connection(acme, f"c{i}")
        make_key(acme, f"k{i}")
        make_dataflow(acme, f"d{i}", source=ctx["a"], destination=ctx["b"])
    with django_assert_num_queries(5):
        assert len(rows()) == len(first) + 19


def test_connect_list_sorts_by_header_and_runs_export(acme, acme_admin, pages):
    a, b = make_connection(acme, "src"), make_connection(acme, "dst")
    for name in ("beta", "Alpha", "gamma"):
        make_dataflow(acme, name, source=a, destination=b)
    html = text(pages(acme_admin).get("/connect/dataflows/?sort=-name"))
    assert html.index("gamma") < html.index("beta") < html.index("Alpha")
    flow = Dataflow.objects.get(org=acme, name="beta")
    html = pages(acme_admin).get(f"/connect/dataflows/{flow.pk}/?sort=queued").content.decode()
    assert 'aria-sort="ascending"' in html
    response = pages(acme_admin).get(f"/connect/dataflows/{flow.pk}/?format=csv")
    header = b"".join(response.streaming_content).decode().splitlines()[0]
    assert header == "Run,Status,Started by,Queued,Finished,Files,Files failed"
