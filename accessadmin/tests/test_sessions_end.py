"""A new password, deactivation or the loss of the last role ends every bearer token and session of
the user on their next request — through the API, the pages, the Django admin and `set_password`."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accessadmin.models import ApiToken, User
from accessadmin.privileges import Privilege
from accessadmin.testing import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "right-password-1"


@pytest.fixture
def bob(acme):
    return make_user(acme, username="acme-bob", password=PASSWORD, privileges=[Privilege.CS_AGENT])


def bearer(username: str, password: str = PASSWORD) -> APIClient:
    """Returns an API client holding a token from a real POST /ccadmin/v1/login."""
    client = APIClient()
    r = client.post("/ccadmin/v1/login", {"grant_type": "password", "username": username, "password": password})
    assert r.status_code == 200, r.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {r.json()['access_token']}")
    return client


def signed_in(username: str, password: str = PASSWORD) -> Client:
    """Returns a browser-like client signed in through the login page."""
    client = Client()
    assert client.post("/login/", {"username": username, "password": password}).status_code == 302
    return client


def assert_works(token: APIClient, session: Client) -> None:
    assert token.get("/api/v1/me/").status_code == 200
    assert session.get("/").status_code == 200
    assert session.get("/api/v1/me/").status_code == 200


def assert_ended(token: APIClient, session: Client) -> None:
    assert token.get("/api/v1/me/").status_code == 401
    page = session.get("/")
    assert page.status_code == 302 and page["Location"].startswith("/login/")
    assert session.get("/api/v1/me/").status_code == 401


def test_password_change_through_the_api_ends_tokens_and_sessions(bob, acme_admin, api):
    token, session = bearer("acme-bob"), signed_in("acme-bob")
    assert_works(token, session)
    r = api(acme_admin).patch(f"/api/v1/users/{bob.pk}/", {"password": "a-new-password-7"}, format="json")
    assert r.status_code == 200
    assert_ended(token, session)
    assert not ApiToken.objects.filter(user=bob).exists()
    assert_works(bearer("acme-bob", "a-new-password-7"), signed_in("acme-bob", "a-new-password-7"))


def test_password_reset_on_the_user_page_ends_tokens_and_sessions(bob, acme_admin, pages):
    token, session = bearer("acme-bob"), signed_in("acme-bob")
    r = pages(acme_admin).post(f"/users/{bob.pk}/", {"email": "", "first_name": "", "last_name": "",
                                                     "is_active": "on", "roles": ["csAgentRole"],
                                                     "password": "a-new-password-7"})
    assert r.status_code == 302
    assert_ended(token, session)


def test_your_own_password_change_keeps_this_session_and_ends_the_others(acme):
    make_user(acme, username="acme-ann", password=PASSWORD, privileges=[Privilege.ADMIN])
    ann = User.objects.get(username="acme-ann")
    token, other_session, this_session = bearer("acme-ann"), signed_in("acme-ann"), signed_in("acme-ann")
    r = this_session.post(f"/users/{ann.pk}/", {"email": "", "first_name": "", "last_name": "", "is_active": "on",
                                                "roles": ["adminRole"], "password": "a-new-password-7"})
    assert r.status_code == 302
    assert this_session.get("/").status_code == 200
    assert_ended(token, other_session)


def test_deactivation_ends_tokens_and_sessions_and_reactivation_does_not_revive_them(bob, acme_admin, api):
    token, session = bearer("acme-bob"), signed_in("acme-bob")
    admin = api(acme_admin)
    assert admin.patch(f"/api/v1/users/{bob.pk}/", {"is_active": False}, format="json").status_code == 200
    assert_ended(token, session)
    assert admin.patch(f"/api/v1/users/{bob.pk}/", {"is_active": True}, format="json").status_code == 200
    assert_ended(token, session)
    assert_works(bearer("acme-bob"), signed_in("acme-bob"))


def test_removing_the_last_role_ends_tokens_and_sessions(bob, acme_admin, api):
    admin = api(acme_admin)
    assert admin.patch(f"/api/v1/users/{bob.pk}/", {"roles": ["csAgentRole", "catalogRole"]},
                       format="json").status_code == 200
    token, session = bearer("acme-bob"), signed_in("acme-bob")
    # Losing one role of two leaves the user signed in...
    assert admin.patch(f"/api/v1/users/{bob.pk}/", {"roles": ["catalogRole"]}, format="json").status_code == 200
    assert_works(token, session)
    # ...losing the last one does not, and a role given back does not revive them.
    assert admin.patch(f"/api/v1/users/{bob.pk}/", {"roles": []}, format="json").status_code == 200
    assert_ended(token, session)
    assert admin.patch(f"/api/v1/users/{bob.pk}/", {"roles": ["catalogRole"]}, format="json").status_code == 200
    assert_ended(token, session)


def test_other_changes_keep_tokens_and_sessions(bob, acme_admin, api):
    token, session = bearer("acme-bob"), signed_in("acme-bob")
    assert api(acme_admin).patch(f"/api/v1/users/{bob.pk}/", {"email": "bob@example.com", "first_name": "Bob"},
                                 format="json").status_code == 200
    assert_works(token, session)


def test_set_password_anywhere_ends_tokens_and_sessions(bob):
    """`manage.py changepassword` and the admin's password form call set_password and nothing else."""
    token, session = bearer("acme-bob"), signed_in("acme-bob")
    bob.set_password("a-new-password-7")
    bob.save()
    assert_ended(token, session)


def _admin_change_form(user: User, **changes) -> dict:
    data = {"username": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "is_active": "on" if user.is_active else "", "org": user.org_id or "",
            "roles": [r.pk for r in user.roles.all()], "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"), "_save": "Save"}
    data.update(changes)
    return {k: v for k, v in data.items() if v not in ("", None)}


@pytest.mark.parametrize("change", [{"is_active": ""}, {"roles": []}])
def test_deactivation_or_last_role_removed_in_the_django_admin_ends_tokens_and_sessions(bob, platform_staff,
                                                                                         change):
    token, session = bearer("acme-bob"), signed_in("acme-bob")
    staff = Client()
    staff.force_login(platform_staff)
    r = staff.post(f"/admin/accessadmin/user/{bob.pk}/change/", _admin_change_form(bob, **change))
    assert r.status_code == 302, r.content.decode()[:2000]
    assert_ended(token, session)


def test_an_unrelated_change_in_the_django_admin_keeps_them(bob, platform_staff):
    token, session = bearer("acme-bob"), signed_in("acme-bob")
    staff = Client()
    staff.force_login(platform_staff)
    r = staff.post(f"/admin/accessadmin/user/{bob.pk}/change/", _admin_change_form(bob, first_name="Robert"))
    assert r.status_code == 302
    assert User.objects.get(pk=bob.pk).first_name == "Robert"
    assert_works(token, session)
