import pytest

from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user
from connect.models import Dataflow

from .admin_factories import make_connection, make_dataflow, make_key

pytestmark = pytest.mark.django_db

URL = "/api/v1/connect/dataflows/"


@pytest.fixture
def setup(acme):
    """acme's two connections and its keys: a partner's public key and a key pair of its own."""
    return {"exports": make_connection(acme, "exports"), "partner": make_connection(acme, "partner"),
            "public": make_key(acme, "Partner"), "pair": make_key(acme, "Inbound", "inbound_secret")}


def body(setup, **fields):
    return {"name": "Exports to partner", "template": "sftp-to-sftp",
            "source": {"connection": setup["exports"].pk, "path": "out"},
            "destination": {"connection": setup["partner"].pk, "path": "in"}, **fields}


def test_templates_list_the_sftp_to_sftp_schema(acme_admin, api):
    r = api(acme_admin).get("/api/v1/connect/templates/")
    assert r.status_code == 200
    # Other apps add their templates (privacy: pii-deletion); sftp-to-sftp comes first.
    template = r.json()["results"][0]
    assert template["id"] == "sftp-to-sftp"
    sections = {s["name"]: s for s in template["sections"]}
    assert list(sections) == ["source", "destination", "decrypt", "encrypt", ""]
    fields = {(s, f["name"]): f for s, section in sections.items() for f in section["fields"]}
    assert fields[("source", "pattern")]["default"] == ".*" and fields[("source", "pattern")]["type"] == "regex"
    assert fields[("source", "connection")] ["required"] is True
    on_conflict = fields[("destination", "on_conflict")]
    assert on_conflict["default"] == "fail"
    assert [c["value"] for c in on_conflict["choices"]] == ["replace", "rename", "ignore", "fail"]
    assert fields[("encrypt", "compress")]["default"] is True and fields[("encrypt", "armor")]["default"] is False
    assert fields[("decrypt", "key")]["key_use"] == "decrypt"
    assert sections["decrypt"]["nullable"] and sections["encrypt"]["nullable"] and not sections["source"]["nullable"]
    assert [c["value"] for c in fields[("", "after_success")]["choices"]] == ["archive", "delete", "keep"]


def test_template_fields_are_the_fields_the_api_takes():
    from connect.api.serializers import DataflowInput
    from connect.flow_templates import template_get

    serializer = DataflowInput()
    for section in template_get("sftp-to-sftp").sections:
        names = {f.name for f in section.fields}
        if section.name:
            assert set(serializer.fields[section.name].fields) == names, section.name
        else:
            assert names <= set(serializer.fields)


def test_create_answers_201_with_every_default(acme_admin, api, setup):
    r = api(acme_admin).post(URL, body(setup), format="json")
    assert r.status_code == 201, r.json()
    data = r.json()
    assert data["source"] == {"connection": setup["exports"].pk, "path": "out", "pattern": ".*", "recursive": False}
    assert data["destination"] == {"connection": setup["partner"].pk, "path": "in", "create_directory": False,
                                   "on_conflict": "fail"}
    assert data["decrypt"] is None and data["encrypt"] is None
    assert data["after_success"] == "keep" and data["archive_path"] == ""
    assert data["schedule"] is None and data["schedule_description"] is None and data["next_run_at"] is None
    assert data["active"] is True and data["last_run"] is None and data["created_by"] == "acme-admin"
    event = AuditEvent.objects.get(action="connect.dataflow.create", target_id=str(data["id"]))
    assert event.after["source"]["pattern"] == ".*"


def test_create_with_every_step(acme_admin, api, setup):
    r = api(acme_admin).post(URL, body(
        setup, source={"connection": setup["exports"].pk, "path": "out", "pattern": r"export_.*\.csv\.pgp",
                       "recursive": True},
        destination={"connection": setup["partner"].pk, "path": "in", "create_directory": True,
                     "on_conflict": "rename"},
        decrypt={"key": setup["pair"].pk}, encrypt={"key": setup["public"].pk, "armor": True, "compress": False},
        after_success="archive", archive_path="done", schedule="30 2 * * 1-5", active=False), format="json")
    assert r.status_code == 201, r.json()
    data = r.json()
    assert data["decrypt"] == {"key": setup["pair"].pk}
    assert data["encrypt"] == {"key": setup["public"].pk, "armor": True, "compress": False}
    assert data["source"]["recursive"] is True and data["destination"]["on_conflict"] == "rename"
    assert (data["after_success"], data["archive_path"]) == ("archive", "done")
    assert data["schedule"] == "30 2 * * 1-5"
    assert data["schedule_description"] == "At 02:30, Monday through Friday (UTC)"
    assert data["active"] is False and data["next_run_at"] is None  # inactive: nothing is due


def test_schedule_sets_the_next_run_and_accepts_aliases(acme_admin, api, setup):
    r = api(acme_admin).post(URL, body(setup, schedule="@daily"), format="json")
    assert r.status_code == 201
    assert r.json()["schedule"] == "0 0 * * *" and r.json()["next_run_at"].endswith("T00:00:00Z")
    flow = Dataflow.objects.get(pk=r.json()["id"])
    r = api(acme_admin).patch(f"{URL}{flow.pk}/", {"schedule": None}, format="json")
    assert r.json()["schedule"] is None and r.json()["next_run_at"] is None


@pytest.mark.parametrize("change,code,field", [
    ({"template": "ftp-to-mars"}, "unknown_template", "template"),
    ({"source": {"connection": 1, "pattern": "(unclosed"}}, "invalid_pattern", "source.pattern"),
    ({"schedule": "every day"}, "invalid_schedule", "schedule"),
    ({"schedule": "* * * * * *"}, "invalid_schedule", "schedule"),
    ({"schedule": "61 * * * *"}, "invalid_schedule", "schedule"),
    ({"after_success": "archive"}, "archive_path_required", "archive_path"),
    ({"after_success": "shred"}, "invalid", "after_success"),
    ({"destination": {"connection": 2, "on_conflict": "merge"}}, "invalid", "destination.on_conflict"),
    ({"decrypt": {"key": "public"}}, "key_cannot_decrypt", "decrypt.key"),
    ({"encrypt": {"key": "signonly"}}, "key_cannot_encrypt", "encrypt.key"),
    ({"encrypt": {"key": "expired"}}, "key_expired", "encrypt.key"),
    ({"encrypt": {"key": "revoked"}}, "key_revoked", "encrypt.key"),
    ({"encrypt": {"armor": True}}, "invalid", "encrypt.key"),
    ({"owner": "me"}, "unknown_field", "owner"),
    ({"source": {"connection": 1, "glob": "*.csv"}}, "unknown_field", "source.glob"),
    ({"encrypt": {"key": "public", "cipher": "AES"}}, "unknown_field", "encrypt.cipher"),
    ({"name": ""}, "invalid", "name"),
    ({"destination": {"connection": "exports", "path": "./out/"}, "source": {"connection": "exports", "path": "out"}},
     "same_location", "destination.path"),
    ({"source": None}, "invalid", "source"),
])
def test_create_refusals_are_coded_and_change_nothing(acme, acme_admin, api, setup, change, code, field):
    for kind in ("signonly", "expired", "revoked"):
        setup[kind] = make_key(acme, kind, f"{kind}_public")
    for section in ("decrypt", "encrypt"):
        if isinstance(change.get(section), dict) and isinstance(change[section].get("key"), str):
            change[section]["key"] = setup[change[section]["key"]].pk
    for section, connection in (("source", "exports"), ("destination", "partner")):
        if isinstance(change.get(section), dict):
            named = change[section]["connection"]
            change[section]["connection"] = setup[named if isinstance(named, str) else connection].pk
    before = (Dataflow.objects.count(), AuditEvent.objects.filter(action__startswith="connect.dataflow").count())
    r = api(acme_admin).post(URL, body(setup, **change), format="json")
    assert r.status_code == 400, r.json()
    assert r.json()["code"] == code, r.json()
    assert field in r.json()["fields"]
    assert (Dataflow.objects.count(),
            AuditEvent.objects.filter(action__startswith="connect.dataflow").count()) == before


def test_names_are_unique_per_org(acme, acme_admin, api, setup):
    make_dataflow(acme, "Nightly", source=setup["exports"], destination=setup["partner"])
    r = api(acme_admin).post(URL, body(setup, name="NIGHTLY"), format="json")
    assert r.status_code == 400 and r.json()["code"] == "duplicate_name"


def test_another_orgs_connection_or_key_is_404_and_changes_nothing(acme, globex, acme_admin, api, setup):
    theirs = {"connection": make_connection(globex, "theirs"), "key": make_key(globex, "Theirs"),
              "pair": make_key(globex, "Their pair", "inbound_secret")}
    client = api(acme_admin)
    for change in ({"source": {"connection": theirs["connection"].pk}},
                   {"destination": {"connection": theirs["connection"].pk}},
                   {"encrypt": {"key": theirs["key"].pk}},
                   {"decrypt": {"key": theirs["pair"].pk}},
                   {"source": {"connection": 99999999}}):
        r = client.post(URL, body(setup, **change), format="json")
        assert r.status_code == 404 and r.json()["code"] == "not_found", change
    flow = make_dataflow(acme, source=setup["exports"], destination=setup["partner"])
    r = client.patch(f"{URL}{flow.pk}/", {"encrypt": {"key": theirs["key"].pk}}, format="json")
    assert r.status_code == 404
    assert Dataflow.objects.count() == 1 and Dataflow.objects.get().encrypt_key is None


def test_patch_merges_sections_and_removes_steps_with_null(acme, acme_admin, api, setup):
    flow = make_dataflow(acme, source=setup["exports"], destination=setup["partner"],
                         encrypt={"key": setup["public"].pk, "armor": True, "compress": True})
    client = api(acme_admin)
    url = f"{URL}{flow.pk}/"
    r = client.patch(url, {"source": {"pattern": r".*\.csv"}, "encrypt": {"compress": False}}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["source"] == {"connection": setup["exports"].pk, "path": "out", "pattern": r".*\.csv",
                                  "recursive": False}
    assert r.json()["encrypt"] == {"key": setup["public"].pk, "armor": True, "compress": False}
    event = AuditEvent.objects.get(action="connect.dataflow.update")
    assert event.before["encrypt"]["compress"] is True and event.after["encrypt"]["compress"] is False
    r = client.patch(url, {"encrypt": None, "decrypt": {"key": setup["pair"].pk}}, format="json")
    assert r.json()["encrypt"] is None and r.json()["decrypt"] == {"key": setup["pair"].pk}
    r = client.patch(url, {"active": False, "name": "Renamed"}, format="json")
    assert r.json()["active"] is False and r.json()["name"] == "Renamed"
    r = client.patch(url, {"decrypt": {"key": setup["public"].pk}}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "key_cannot_decrypt"
    assert client.get(url).json()["decrypt"] == {"key": setup["pair"].pk}


def test_list_get_delete(acme, acme_admin, api, setup):
    flow = make_dataflow(acme, "Nightly", source=setup["exports"], destination=setup["partner"])
    make_dataflow(acme, "Hourly", source=setup["partner"], destination=setup["exports"])
    client = api(acme_admin)
    assert [d["name"] for d in client.get(URL).json()["results"]] == ["Hourly", "Nightly"]
    assert [d["name"] for d in client.get(URL + "?search=night").json()["results"]] == ["Nightly"]
    assert client.get(f"{URL}{flow.pk}").json()["name"] == "Nightly"
    assert client.delete(f"{URL}{flow.pk}/").status_code == 204
    assert client.get(f"{URL}{flow.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="connect.dataflow.delete", target_id=str(flow.pk)).count() == 1


def test_other_org_and_missing_privilege(acme, globex_admin, api, setup):
    flow = make_dataflow(acme, source=setup["exports"], destination=setup["partner"])
    client = api(globex_admin)
    for method, extra in (("get", {}), ("patch", {"data": {"active": False}, "format": "json"}), ("delete", {})):
        assert_other_org_404(client, f"{URL}{flow.pk}/", method, **extra)
    assert_other_org_404(client, f"{URL}{flow.pk}/run/", "post")
    assert_other_org_404(client, f"{URL}{flow.pk}/runs/")
    csr = api(make_user(acme, privileges=[Privilege.CS_AGENT]))
    assert csr.get(URL).status_code == 403
    assert csr.get("/api/v1/connect/templates/").status_code == 403
    assert csr.post(URL, body(setup), format="json").status_code == 403
    assert csr.patch(f"{URL}{flow.pk}/", {"active": False}, format="json").status_code == 403
    assert csr.delete(f"{URL}{flow.pk}/").status_code == 403
    assert csr.post(f"{URL}{flow.pk}/run/").status_code == 403
    flow.refresh_from_db()
    assert flow.active is True and Dataflow.objects.count() == 1 and not flow.runs.exists()


def test_query_count_of_the_list_is_constant(acme, acme_admin, api, setup, django_assert_num_queries):
    client = api(acme_admin)
    make_dataflow(acme, "d0", source=setup["exports"], destination=setup["partner"], actor=acme_admin,
                  encrypt={"key": setup["public"].pk, "armor": False, "compress": True})
    with django_assert_num_queries(4):  # token, access rights, count, page (references and last run joined)
        assert len(client.get(URL).json()["results"]) == 1
    for i in range(1, 25):
        make_dataflow(acme, f"d{i}", source=setup["exports"], destination=setup["partner"], actor=acme_admin,
                      decrypt={"key": setup["pair"].pk}, schedule="*/5 * * * *")
    with django_assert_num_queries(4):
        assert len(client.get(URL).json()["results"]) == 25
