import pytest

from accessadmin.models import AuditEvent, Role, User
from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user

pytestmark = pytest.mark.django_db


def test_admin_creates_lists_and_updates_users(acme_admin, api):
    client = api(acme_admin)
    r = client.post("/api/v1/users/", {"username": "acme-newbie", "password": "a-good-password-9",
                                       "email": "n@example.com", "roles": ["csAgentRole"]}, format="json")
    assert r.status_code == 201, r.json()
    uid = r.json()["id"]
    assert r.json()["roles"] == ["csAgentRole"]
    listing = client.get("/api/v1/users/?search=newb").json()
    assert [u["username"] for u in listing["results"]] == ["acme-newbie"]
    r = client.patch(f"/api/v1/users/{uid}/", {"roles": ["catalogRole", "csAgentRole"], "is_active": False},
                     format="json")
    assert r.status_code == 200
    assert sorted(r.json()["roles"]) == ["catalogRole", "csAgentRole"] and r.json()["is_active"] is False
    event = AuditEvent.objects.filter(action="user.update").get()
    assert event.before["roles"] == ["csAgentRole"] and event.after["roles"] == ["catalogRole", "csAgentRole"]
    assert event.actor == acme_admin


def test_user_input_errors_change_nothing(acme_admin, api):
    client = api(acme_admin)
    before = User.objects.count()
    r = client.post("/api/v1/users/", {"username": "acme-x1", "password": "short"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "weak_password"
    r = client.post("/api/v1/users/", {"username": "acme-x2", "password": "a-good-password-9", "roles": ["nope"]},
                    format="json")
    assert r.status_code == 400 and r.json()["code"] == "unknown_role"
    r = client.post("/api/v1/users/", {"username": "acme-admin", "password": "a-good-password-9"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "duplicate_username"
    r = client.post("/api/v1/users/", {"password": "a-good-password-9"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid" and "username" in r.json()["fields"]
    assert User.objects.count() == before


def test_non_admin_cannot_manage_users(acme, api):
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    r = api(csr).get("/api/v1/users/")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"


def test_roles_with_access_rights(acme_admin, api):
    client = api(acme_admin)
    r = client.post("/ccadmin/v1/adminAccessRights", {"id": "ar10", "name": "AR 10", "type": "generic"},
                    format="json")
    assert r.status_code == 201
    r = client.post("/ccadmin/v1/adminRoles", {"id": "audit", "name": "Audit", "description": "d",
                                               "accessRights": [{"id": "ar10"}]}, format="json")
    assert r.status_code == 201, r.json()
    assert [a["id"] for a in r.json()["accessRights"]] == ["ar10"]
    r = client.put("/ccadmin/v1/adminRoles/audit", {"accessRights": ["ar10", "ora.csAgentPrivilege"]},
                   format="json")
    assert sorted(a["id"] for a in r.json()["accessRights"]) == ["ar10", "ora.csAgentPrivilege"]
    listing = client.get("/ccadmin/v1/adminRoles").json()
    assert set(listing) >= {"items", "total", "totalResults", "offset", "limit", "links"}
    assert listing["limit"] == 250 and "audit" in [i["id"] for i in listing["items"]]
    r = client.get("/ccadmin/v1/adminRoles?limit=2&offset=1").json()
    assert len(r["items"]) == 2 and r["offset"] == 1 and r["total"] == listing["total"]


def test_role_errors(acme_admin, api):
    client = api(acme_admin)
    r = client.post("/ccadmin/v1/adminRoles", {"name": "X", "accessRights": ["missing"]}, format="json")
    assert r.status_code == 400 and r.json()["errorCode"] == "unknown_access_right" and r.json()["status"] == "400"
    r = client.post("/ccadmin/v1/adminRoles", {"name": "Administrator"}, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == "duplicate_name"
    assert not Role.objects.filter(name="X").exists()


def test_builtin_privileges_are_read_only(acme_admin, api):
    client = api(acme_admin)
    r = client.put("/ccadmin/v1/adminAccessRights/ora.adminPrivilege", {"name": "Mine"}, format="json")
    assert r.status_code == 403 and r.json()["errorCode"] == "builtin_readonly"
    r = client.post("/ccadmin/v1/adminAccessRights", {"id": "ora.adminPrivilege", "name": "Dup"}, format="json")
    assert r.status_code == 409
    r = client.post("/ccadmin/v1/adminAccessRights", {"id": "p1", "name": "P", "type": "privilege"}, format="json")
    assert r.status_code == 403


def test_other_org_users_roles_and_access_rights_are_404(acme, acme_admin, globex_admin, api, pages):
    acme_csr = make_user(acme, username="acme-csr", privileges=[Privilege.CS_AGENT])
    api(acme_admin).post("/ccadmin/v1/adminAccessRights", {"id": "ar10", "name": "AR"}, format="json")
    client = api(globex_admin)
    assert_other_org_404(client, f"/api/v1/users/{acme_csr.pk}/")
    assert_other_org_404(client, f"/api/v1/users/{acme_csr.pk}/", "patch", {"is_active": False}, format="json")
    assert_other_org_404(client, "/ccadmin/v1/adminAccessRights/ar10")
    audit = Role.objects.create(org=acme, code="acmeOnly", name="Acme only")
    assert_other_org_404(client, f"/ccadmin/v1/adminRoles/{audit.code}")
    assert_other_org_404(client, f"/ccadmin/v1/adminRoles/{audit.code}", "put", {"name": "x"}, format="json")
    assert "acme-csr" not in str(client.get("/api/v1/users/").json())
    page = pages(globex_admin)
    assert_other_org_404(page, f"/users/{acme_csr.pk}/")
    assert_other_org_404(page, f"/roles/{audit.code}/")
    assert_other_org_404(page, "/access-rights/ar10/")
    acme_csr.refresh_from_db()
    assert acme_csr.is_active


def test_staff_pick_an_org_with_a_header(acme, acme_admin, platform_staff, api):
    client = api(platform_staff)
    assert client.get("/api/v1/users/").json()["code"] == "org_required"
    r = client.get("/api/v1/users/", HTTP_X_ORG="acme")
    assert [u["username"] for u in r.json()["results"]] == ["acme-admin"]


def test_query_count_of_user_list_is_constant(acme, acme_admin, api, constant_queries):
    # token, count, page, roles prefetch, privileges: for 1 user and for 61
    r = constant_queries(api(acme_admin), "/api/v1/users/?page_size=100", 5, lambda: [
        make_user(acme, privileges=[Privilege.CS_AGENT, Privilege.CATALOG]) for _ in range(60)])
    assert r.json()["count"] == 61


def test_query_count_of_role_list_is_constant(acme, acme_admin, api, constant_queries):
    from accessadmin.testing import make_role

    r = constant_queries(api(acme_admin), "/ccadmin/v1/adminRoles", 6,
                         lambda: [make_role(acme, access_rights=[Privilege.CATALOG]) for _ in range(100)])
    assert r.json()["total"] == 107
