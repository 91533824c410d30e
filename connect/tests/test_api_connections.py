import json

import pytest

from accessadmin import crypto
from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user
from connect.models import SftpConnection

from .admin_factories import client_key, host_key, make_connection, make_dataflow

pytestmark = pytest.mark.django_db

URL = "/api/v1/connect/connections/"
SECRETS = ("s3cret-pw", "correct horse battery")


def body(**fields):
    return {"name": "Exports", "host": "sftp.example.com", "username": "acme", "password": "s3cret-pw",
            "host_key": host_key(), **fields}


def assert_no_secret(response_or_text):
    text = response_or_text if isinstance(response_or_text, str) else response_or_text.content.decode()
    for secret in SECRETS:
        assert secret not in text
    assert "PRIVATE KEY" not in text


def test_create_answers_201_with_defaults_and_never_the_secrets(acme, acme_admin, api):
    r = api(acme_admin).post(URL, body(), format="json")
    assert r.status_code == 201, r.json()
    data = r.json()
    assert data["port"] == 22 and data["base_path"] == "" and data["username"] == "acme"
    assert data["has_password"] is True and data["has_private_key"] is False and data["has_passphrase"] is False
    assert data["host_key"] == host_key() and data["host_key_fingerprint"].startswith("SHA256:")
    assert data["created_by"] == "acme-admin"
    assert not {"password", "private_key", "passphrase"} & set(data)
    assert_no_secret(r)
    stored = SftpConnection.objects.get(pk=data["id"])
    assert stored.password_encrypted and "s3cret-pw" not in stored.password_encrypted
    assert crypto.decrypt(stored.password_encrypted) == "s3cret-pw"
    event = AuditEvent.objects.get(action="connect.connection.create", target_id=str(data["id"]))
    assert event.after["has_password"] is True and event.actor_repr == "acme-admin"
    assert_no_secret(json.dumps([event.before, event.after]))


def test_private_key_with_passphrase_and_a_known_hosts_line(acme_admin, api):
    key = client_key("correct horse battery")
    line = f"sftp.example.com,10.1.2.3 {host_key()} root@server"
    r = api(acme_admin).post(URL, body(password=None, private_key=key, passphrase="correct horse battery",
                                       host_key=line, port=2222, base_path="/data"), format="json")
    assert r.status_code == 201, r.json()
    data = r.json()
    assert (data["has_password"], data["has_private_key"], data["has_passphrase"]) == (False, True, True)
    assert data["host_key"] == host_key()  # the key alone is pinned
    assert data["port"] == 2222 and data["base_path"] == "/data"
    assert_no_secret(r)
    stored = SftpConnection.objects.get(pk=data["id"])
    assert crypto.decrypt(stored.private_key_encrypted) == key


@pytest.mark.parametrize("fields,code,field", [
    ({"password": None}, "credentials_required", "password"),
    ({"password": ""}, "credentials_required", "password"),
    ({"host_key": "not a key"}, "invalid_host_key", "host_key"),
    ({"host_key": "ssh-ed25519 AAAAnotbase64!"}, "invalid_host_key", "host_key"),
    ({"private_key": "-----BEGIN OPENSSH PRIVATE KEY-----\nxx\n-----END OPENSSH PRIVATE KEY-----"},
     "invalid_private_key", "private_key"),
    ({"host": "bad host name"}, "invalid_host", "host"),
    ({"host": "127.0.0.1"}, "host_not_allowed", "host"),
    ({"host": "10.0.0.8"}, "host_not_allowed", "host"),
    ({"host": "169.254.1.1"}, "host_not_allowed", "host"),
    ({"port": 0}, "invalid", "port"),
    ({"port": 65536}, "invalid", "port"),
    ({"port": "22a"}, "invalid", "port"),
    ({"name": ""}, "invalid", "name"),
    ({"host_key": None}, "invalid", "host_key"),
    ({"colour": "blue", "extra": 1}, "unknown_field", "colour"),
])
def test_create_refusals_are_coded_and_change_nothing(acme_admin, api, fields, code, field):
    before = (SftpConnection.objects.count(), AuditEvent.objects.count())
    r = api(acme_admin).post(URL, body(**fields), format="json")
    assert r.status_code == 400, r.json()
    assert r.json()["code"] == code and field in r.json()["fields"]
    assert (SftpConnection.objects.count(), AuditEvent.objects.count()) == before


def test_required_fields_and_unknown_fields_are_named(acme_admin, api):
    r = api(acme_admin).post(URL, {}, format="json")
    assert r.status_code == 400
    assert set(r.json()["fields"]) == {"name", "host", "username", "host_key"}
    r = api(acme_admin).post(URL, body(colour="blue", size=3), format="json")
    assert r.json() == {"code": "unknown_field", "message": "Unknown fields: colour, size.",
                        "fields": {"colour": ["Unknown field."], "size": ["Unknown field."]}}
    r = api(acme_admin).post(URL, [body()], format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid_body"


def test_key_with_passphrase_needs_the_right_one(acme_admin, api):
    key = client_key("correct horse battery")
    client = api(acme_admin)
    for passphrase in (None, "wrong"):
        r = client.post(URL, body(private_key=key, passphrase=passphrase), format="json")
        assert r.status_code == 400 and r.json()["code"] == "bad_passphrase"
    assert SftpConnection.objects.count() == 0


def test_names_are_unique_per_org_ignoring_case(acme, globex, acme_admin, api):
    make_connection(acme, "Exports")
    make_connection(globex, "Exports")
    r = api(acme_admin).post(URL, body(name="EXPORTS"), format="json")
    assert r.status_code == 400 and r.json()["code"] == "duplicate_name"


def test_patch_changes_fields_and_secrets_write_only(acme, acme_admin, api):
    connection = make_connection(acme, "Exports")
    client = api(acme_admin)
    url = f"{URL}{connection.pk}/"
    r = client.patch(url, {"port": 2022, "password": "correct horse battery"}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["port"] == 2022 and r.json()["updated_by"] == "acme-admin"
    assert_no_secret(r)
    connection.refresh_from_db()
    assert crypto.decrypt(connection.password_encrypted) == "correct horse battery"
    event = AuditEvent.objects.get(action="connect.connection.update")
    assert event.before["port"] == 22 and event.after["port"] == 2022
    assert event.after["secrets_changed"] == ["password"]
    assert_no_secret(json.dumps([event.before, event.after]))

    # Switching to a key: the password goes, the key stays encrypted.
    key = client_key()
    r = client.patch(url, {"password": None, "private_key": key}, format="json")
    assert (r.json()["has_password"], r.json()["has_private_key"]) == (False, True)
    # Removing the last credential is refused and changes nothing.
    r = client.patch(url, {"private_key": ""}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "credentials_required"
    connection.refresh_from_db()
    assert crypto.decrypt(connection.private_key_encrypted) == key
    r = client.patch(url, {"username": "x", "nope": 1}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "unknown_field"
    connection.refresh_from_db()
    assert connection.username == "acme"


def test_patch_pins_a_new_host_key(acme, acme_admin, api):
    connection = make_connection(acme)
    r = api(acme_admin).patch(f"{URL}{connection.pk}/", {"host_key": host_key(1)}, format="json")
    assert r.status_code == 200 and r.json()["host_key"] == host_key(1)
    event = AuditEvent.objects.get(action="connect.connection.update")
    assert event.before["host_key_fingerprint"] != event.after["host_key_fingerprint"]


def test_list_get_and_search(acme, acme_admin, api):
    make_connection(acme, "Exports")
    make_connection(acme, "Partner", host="partner.example.net")
    client = api(acme_admin)
    r = client.get(URL)
    assert r.status_code == 200
    assert [c["name"] for c in r.json()["results"]] == ["Exports", "Partner"] and r.json()["count"] == 2
    assert_no_secret(r)
    assert [c["name"] for c in client.get(URL + "?search=partner.example").json()["results"]] == ["Partner"]
    first = r.json()["results"][0]
    assert client.get(f"{URL}{first['id']}").json() == first  # without the trailing slash too


def test_delete_answers_204_unless_a_dataflow_uses_it(acme, acme_admin, api):
    a, b, spare = make_connection(acme, "A"), make_connection(acme, "B"), make_connection(acme, "Spare")
    make_dataflow(acme, source=a, destination=b)
    client = api(acme_admin)
    r = client.delete(f"{URL}{a.pk}/")
    assert r.status_code == 409 and r.json()["code"] == "connection_in_use"
    assert SftpConnection.objects.filter(pk=a.pk).exists()
    assert client.delete(f"{URL}{spare.pk}/").status_code == 204
    assert not SftpConnection.objects.filter(pk=spare.pk).exists()
    assert AuditEvent.objects.filter(action="connect.connection.delete", target_id=str(spare.pk)).count() == 1
    assert client.get(f"{URL}{spare.pk}/").status_code == 404


def test_another_orgs_connection_is_404_everywhere(acme, globex_admin, api):
    connection = make_connection(acme)
    client = api(globex_admin)
    url = f"{URL}{connection.pk}/"
    assert_other_org_404(client, url)
    assert_other_org_404(client, url, "patch", {"port": 23}, format="json")
    assert_other_org_404(client, url, "delete")
    assert_other_org_404(client, url + "host-key/", "post")
    assert_other_org_404(client, url + "test/", "post")
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}99999999999999999999999/").status_code == 404
    connection.refresh_from_db()
    assert connection.port == 22


def test_without_the_connect_privilege_everything_is_403_and_nothing_changes(acme, api):
    connection = make_connection(acme)
    for privileges in ([Privilege.ACCESS_CONTROL], [Privilege.CS_AGENT]):
        client = api(make_user(acme, privileges=privileges))
        assert client.get(URL).status_code == 403
        assert client.post(URL, body(), format="json").status_code == 403
        assert client.get(f"{URL}{connection.pk}/").status_code == 403
        assert client.patch(f"{URL}{connection.pk}/", {"port": 23}, format="json").status_code == 403
        assert client.delete(f"{URL}{connection.pk}/").status_code == 403
        assert client.post(f"{URL}{connection.pk}/test/").status_code == 403
    connection.refresh_from_db()
    assert connection.port == 22 and SftpConnection.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="connect.").exclude(
        action="connect.connection.create").exists()
    assert api(None).get(URL).status_code == 401


def test_the_connect_role_alone_is_enough(acme, api):
    user = make_user(acme, privileges=[Privilege.CONNECT])
    assert api(user).post(URL, body(), format="json").status_code == 201


def test_query_count_of_the_list_is_constant(acme, acme_admin, api, django_assert_num_queries):
    client = api(acme_admin)
    make_connection(acme, "c0", actor=acme_admin)
    with django_assert_num_queries(4) as one:  # token, user's access rights, count, page
        assert len(client.get(URL).json()["results"]) == 1
    for i in range(1, 30):
        make_connection(acme, f"c{i}", actor=acme_admin)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(URL).json()["results"]) == 30
