import json

import pytest

from accessadmin import crypto
from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user
from connect.models import PgpKey

from .admin_factories import OURS_PASSPHRASE, armored, make_connection, make_dataflow, make_key

pytestmark = pytest.mark.django_db

URL = "/api/v1/connect/pgp-keys/"


def test_public_key_encrypts_only(acme_admin, api):
    r = api(acme_admin).post(URL, {"name": "Partner", "armored": armored("partner_public")}, format="json")
    assert r.status_code == 201, r.json()
    data = r.json()
    assert len(data["fingerprint"]) == 40 and data["user_ids"] == ["Partner Inc <sftp@partner.example>"]
    assert data["expires_at"] is None
    assert (data["can_encrypt"], data["can_decrypt"], data["revoked"], data["expired"]) == (True, False, False, False)
    assert "armored" not in data and "passphrase" not in data
    key = PgpKey.objects.get(pk=data["id"])
    assert key.secret_armored_encrypted == "" and "PUBLIC KEY BLOCK" in key.public_armored
    assert AuditEvent.objects.filter(action="connect.key.create", target_id=str(key.pk)).count() == 1


def test_key_pair_with_passphrase_decrypts_and_keeps_its_secrets_encrypted(acme_admin, api):
    client = api(acme_admin)
    r = client.post(URL, {"name": "Ours", "armored": armored("ours_secret")}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "bad_passphrase"
    r = client.post(URL, {"name": "Ours", "armored": armored("ours_secret"), "passphrase": OURS_PASSPHRASE},
                    format="json")
    assert r.status_code == 201, r.json()
    assert (r.json()["can_encrypt"], r.json()["can_decrypt"]) == (True, True)
    text = "".join(x.content.decode() for x in (r, client.get(URL), client.get(f"{URL}{r.json()['id']}/")))
    assert "PRIVATE KEY" not in text and OURS_PASSPHRASE not in text
    key = PgpKey.objects.get(pk=r.json()["id"])
    assert "PRIVATE KEY BLOCK" in crypto.decrypt(key.secret_armored_encrypted)
    assert crypto.decrypt(key.passphrase_encrypted) == OURS_PASSPHRASE
    assert "PRIVATE" not in key.public_armored
    event = AuditEvent.objects.get(action="connect.key.create")
    assert "PRIVATE" not in json.dumps(event.after) and OURS_PASSPHRASE not in json.dumps(event.after)


@pytest.mark.parametrize("file,expected", [
    ("expired_public", {"can_encrypt": False, "expired": True, "revoked": False}),
    ("revoked_public", {"can_encrypt": False, "expired": False, "revoked": True}),
    ("signonly_public", {"can_encrypt": False, "expired": False, "revoked": False}),
    ("inbound_secret", {"can_encrypt": True, "can_decrypt": True, "expired": False}),
])
def test_what_each_key_can_do(acme_admin, api, file, expected):
    r = api(acme_admin).post(URL, {"name": file, "armored": armored(file)}, format="json")
    assert r.status_code == 201, r.json()
    assert {k: r.json()[k] for k in expected} == expected
    if file == "expired_public":
        assert r.json()["expires_at"] == "2020-12-31T00:00:00Z"


@pytest.mark.parametrize("payload,code,field", [
    ({"name": "X", "armored": "hello"}, "invalid_key", "armored"),
    ({"name": "X", "armored": "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnope\n-----END PGP PUBLIC KEY BLOCK-----"},
     "invalid_key", "armored"),
    ({"name": "X", "armored": armored("partner_public") + armored("signonly_public")}, "invalid_key", "armored"),
    ({"armored": "x"}, "invalid", "name"),
    ({"name": "X"}, "invalid", "armored"),
    ({"name": "X", "armored": "x", "fingerprint": "ABC"}, "unknown_field", "fingerprint"),
])
def test_refusals_are_coded_and_change_nothing(acme_admin, api, payload, code, field):
    r = api(acme_admin).post(URL, payload, format="json")
    assert r.status_code == 400, r.json()
    assert r.json()["code"] == code and field in r.json()["fields"]
    assert PgpKey.objects.count() == 0 and not AuditEvent.objects.filter(action__startswith="connect.").exists()


def test_names_are_unique_per_org(acme, acme_admin, api):
    make_key(acme, "Partner")
    r = api(acme_admin).post(URL, {"name": "partner", "armored": armored("partner_public")}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "duplicate_name"


def test_list_get_delete(acme, acme_admin, api):
    partner, inbound = make_key(acme, "Partner"), make_key(acme, "Inbound", "inbound_secret")
    client = api(acme_admin)
    r = client.get(URL)
    assert [k["name"] for k in r.json()["results"]] == ["Inbound", "Partner"]
    assert client.get(f"{URL}{partner.pk}").json()["name"] == "Partner"
    assert client.delete(f"{URL}{partner.pk}/").status_code == 204
    assert client.get(f"{URL}{partner.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="connect.key.delete", target_id=str(partner.pk)).count() == 1
    assert client.patch(f"{URL}{inbound.pk}/", {"name": "x"}, format="json").status_code == 405


def test_a_key_in_use_is_not_deleted(acme, acme_admin, api):
    a, b = make_connection(acme, "A"), make_connection(acme, "B")
    key = make_key(acme, "Partner")
    make_dataflow(acme, source=a, destination=b, encrypt={"key": key.pk, "armor": False, "compress": True})
    r = api(acme_admin).delete(f"{URL}{key.pk}/")
    assert r.status_code == 409 and r.json()["code"] == "key_in_use"
    assert PgpKey.objects.filter(pk=key.pk).exists()


def test_another_orgs_key_is_404_and_the_privilege_is_needed(acme, globex_admin, api):
    key = make_key(acme, "Partner")
    client = api(globex_admin)
    assert_other_org_404(client, f"{URL}{key.pk}/")
    assert_other_org_404(client, f"{URL}{key.pk}/", "delete")
    assert client.get(URL).json()["count"] == 0
    csr = api(make_user(acme, privileges=[Privilege.CS_AGENT]))
    assert csr.get(URL).status_code == 403
    assert csr.post(URL, {"name": "X", "armored": armored("partner_public")}, format="json").status_code == 403
    assert csr.delete(f"{URL}{key.pk}/").status_code == 403
    assert PgpKey.objects.count() == 1


def test_query_count_of_the_list_is_constant(acme, acme_admin, api, django_assert_num_queries):
    client = api(acme_admin)
    make_key(acme, "k0", actor=acme_admin)
    with django_assert_num_queries(4):  # token, access rights, count, page
        assert len(client.get(URL).json()["results"]) == 1
    key = PgpKey.objects.get()
    for i in range(1, 20):  # copies of one key: inspecting with GnuPG is not what this test measures
        PgpKey.objects.create(org=acme, name=f"k{i}", public_armored=key.public_armored, fingerprint=key.fingerprint,
                              can_encrypt=True, created_by=acme_admin)
    with django_assert_num_queries(4):
        assert len(client.get(URL).json()["results"]) == 20
