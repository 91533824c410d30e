import pytest
from django.test import Client

from accessadmin import services
from accessadmin.models import AuditEvent, Role, User
from accessadmin.privileges import Privilege
from accessadmin.testing import make_role, make_user

pytestmark = pytest.mark.django_db


def test_login_page_logs_in_and_shows_the_dashboard(acme):
    make_user(acme, username="ann", password="right-password-1", privileges=[Privilege.ADMIN])
    client = Client()
    assert client.get("/").status_code == 302
    r = client.post("/login/", {"username": "ann", "password": "right-password-1"}, follow=True)
    assert r.status_code == 200
    assert b"Acme Retail" in r.content and b"Users" in r.content
    r = client.post("/logout/", follow=True)
    assert b"signed out" in r.content
    assert client.get("/").status_code == 302


def test_login_page_failure_says_nothing_about_the_user(acme):
    make_user(acme, username="ann", password="right-password-1")
    a = Client().post("/login/", {"username": "ann", "password": "bad-bad-bad"})
    b = Client().post("/login/", {"username": "ghost", "password": "bad-bad-bad"})
    assert a.status_code == b.status_code == 200
    assert b"Invalid username or password." in a.content and b"Invalid username or password." in b.content


def test_login_page_is_throttled(acme, settings):
    settings.LOGIN_LOCKOUT_LIMIT = 2
    make_user(acme, username="ann", password="right-password-1")
    client = Client()
    for _ in range(2):
        client.post("/login/", {"username": "ann", "password": "bad-bad-bad"})
    r = client.post("/login/", {"username": "ann", "password": "right-password-1"})
    assert b"Too many failed attempts" in r.content
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(acme_admin, pages):
    assert pages(acme_admin).get("/logout/").status_code == 405


def test_pages_post_need_csrf(acme_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(acme_admin)
    assert client.post("/roles/new/", {"name": "X"}).status_code == 403
    assert not Role.objects.filter(name="X").exists()


@pytest.mark.parametrize("own", [False, True])
def test_a_refused_password_change_keeps_the_form_and_shows_why(acme, acme_admin, pages, own):
    user = acme_admin if own else make_user(acme, username="acme-bob")
    old_hash = User.objects.get(pk=user.pk).password
    events = AuditEvent.objects.count()
    client = pages(acme_admin)
    r = client.post(f"/users/{user.pk}/", {"email": "typed@example.com", "first_name": "Typed", "password": "1",
                                            "is_active": "on", "roles": [r.code for r in user.roles.all()]})
    body = r.content.decode()
    assert r.status_code == 200 and "This password is too short." in body and 'class="field-error"' in body
    assert 'value="typed@example.com"' in body and 'value="Typed"' in body  # what was typed is kept
    assert User.objects.get(pk=user.pk).password == old_hash and AuditEvent.objects.count() == events
    assert client.get("/").status_code == 200  # still signed in


def test_user_pages(acme, acme_admin, pages):
    client = pages(acme_admin)
    r = client.post("/users/new/", {"username": "acme-bob", "password": "a-good-password-9", "roles": ["csAgentRole"]})
    assert r.status_code == 302
    bob = User.objects.get(username="acme-bob")
    assert bob.org == acme and [r.code for r in bob.roles.all()] == ["csAgentRole"]
    r = client.post("/users/new/", {"username": "acme-bob", "password": "a-good-password-9"})
    assert r.status_code == 200 and b"This username is taken." in r.content
    r = client.post(f"/users/{bob.pk}/", {"email": "bob@example.com", "is_active": "on", "roles": ["catalogRole"]},
                    follow=True)
    assert b"User acme-bob saved." in r.content
    bob.refresh_from_db()
    assert bob.email == "bob@example.com" and [r.code for r in bob.roles.all()] == ["catalogRole"]
    r = client.get(f"/users/{bob.pk}/")
    assert b"History" in r.content and b"User changed" in r.content
    assert b"bob" in client.get("/users/?q=bo").content
    assert b"bob" not in client.get("/users/?q=zzz").content


def test_role_and_access_right_pages(acme, acme_admin, pages):
    client = pages(acme_admin)
    assert client.post("/access-rights/new/", {"code": "ar10", "name": "AR 10"}).status_code == 302
    r = client.post("/roles/new/", {"code": "audit", "name": "Audit", "access_rights": ["ar10"]})
    assert r.status_code == 302
    role = Role.objects.get(org=acme, code="audit")
    assert [a.code for a in role.access_rights.all()] == ["ar10"]
    r = client.post("/roles/new/", {"name": "audit"})
    assert b"This name is taken." in r.content
    r = client.post("/roles/audit/", {"name": "Auditors", "access_rights": []}, follow=True)
    assert b"Role Auditors saved." in r.content
    assert role.access_rights.count() == 0
    r = client.get("/access-rights/ora.adminPrivilege/", follow=True)
    assert b"Built-in privileges cannot be changed." in r.content
    assert AuditEvent.objects.filter(action="role.update", org=acme).count() == 1


def test_identity_pages_need_the_admin_privilege(acme, pages):
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    client = pages(csr)
    assert client.get("/").status_code == 200
    for url in ("/users/", "/roles/", "/access-rights/", "/users/new/"):
        assert client.get(url).status_code == 403


def test_staff_choose_an_org_first(acme, platform_staff, pages):
    client = pages(platform_staff)
    r = client.get("/users/")
    assert r.status_code == 302 and r["Location"] == "/org/switch/"
    client.post("/org/switch/", {"org": "acme"})
    assert client.get("/users/").status_code == 200


def test_user_without_org_is_refused(db, pages):
    loner = make_user(None, username="loner")
    assert pages(loner).get("/").status_code == 403


def test_query_counts_of_list_pages(acme, acme_admin, pages, constant_queries):
    client = pages(acme_admin)
    r = constant_queries(client, "/users/", 7,
                         lambda: [make_user(acme, privileges=[Privilege.CS_AGENT]) for _ in range(30)])
    assert b"Page 1 of 2" in r.content
    r = constant_queries(client, "/roles/", 8,
                         lambda: [make_role(acme, access_rights=[Privilege.CATALOG]) for _ in range(30)])
    assert b"Page 1 of 2" in r.content
    r = constant_queries(client, "/access-rights/", 6, lambda: None)
    assert b"ora.adminPrivilege" in r.content
    r = constant_queries(client, "/audit/?per_page=50", 8, lambda: [
        services.role_create(actor=acme_admin, org=acme, name=f"Audited {i}") for i in range(60)])
    assert b"Audit log" in r.content and b"Page 1 of 2" in r.content
