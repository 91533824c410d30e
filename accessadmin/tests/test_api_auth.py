import pytest
from rest_framework.test import APIClient

from accessadmin.privileges import Privilege
from accessadmin.testing import make_user

pytestmark = pytest.mark.django_db


def login(client, **data):
    return client.post("/ccadmin/v1/login", data)


def test_password_login_returns_a_bearer_token_that_works(acme):
    make_user(acme, username="ann", password="right-password-1", privileges=[Privilege.ADMIN])
    client = APIClient()
    r = login(client, grant_type="password", username="ann", password="right-password-1")
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0 and len(body["access_token"]) > 20
    assert r["Cache-Control"] == "no-store"
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "ann"
    assert me.json()["org"] == {"code": "acme", "name": "Acme Retail"}
    assert me.json()["privileges"] == [p.value for p in sorted(Privilege, key=lambda p: p.value)]


def test_login_accepts_json(acme):
    make_user(acme, username="ann", password="right-password-1")
    r = APIClient().post("/ccadmin/v1/login", {"grant_type": "password", "username": "ann",
                                                "password": "right-password-1"}, format="json")
    assert r.status_code == 200


def test_bad_password_and_unknown_user_get_the_same_401(acme):
    make_user(acme, username="ann", password="right-password-1")
    wrong = login(APIClient(), grant_type="password", username="ann", password="nope-nope-nope")
    unknown = login(APIClient(), grant_type="password", username="nobody", password="nope-nope-nope")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {
        "errorCode": "invalid_credentials", "message": "Invalid username or password.", "status": "401"}


def test_inactive_user_cannot_log_in(acme):
    make_user(acme, username="ann", password="right-password-1", is_active=False)
    assert login(APIClient(), grant_type="password", username="ann", password="right-password-1").status_code == 401


def test_other_grant_types_are_refused(acme):
    r = login(APIClient(), grant_type="client_credentials", username="a", password="b")
    assert r.status_code == 400 and r.json()["errorCode"] == "unsupported_grant_type"
    r = login(APIClient(), grant_type="password")
    assert r.status_code == 400 and r.json()["errorCode"] == "invalid_request"


def test_repeated_failures_are_throttled_even_for_the_right_password(acme, settings):
    settings.LOGIN_LOCKOUT_LIMIT = 3
    make_user(acme, username="ann", password="right-password-1")
    client = APIClient()
    for _ in range(3):
        assert login(client, grant_type="password", username="ann", password="wrong-wrong-1").status_code == 401
    r = login(client, grant_type="password", username="ann", password="right-password-1")
    assert r.status_code == 429
    assert int(r["Retry-After"]) > 0
    assert r.json()["errorCode"] == "throttled"


def test_bad_or_missing_bearer_token_is_401_with_a_challenge():
    r = APIClient().get("/api/v1/me/")
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"
    assert r["WWW-Authenticate"].startswith("Bearer")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    r = client.get("/api/v1/me/")
    assert r.status_code == 401 and r.json()["code"] == "authentication_failed"


def test_logout_revokes_the_token(acme):
    make_user(acme, username="ann", password="right-password-1")
    client = APIClient()
    key = login(client, grant_type="password", username="ann", password="right-password-1").json()["access_token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.post("/ccadmin/v1/logout").status_code == 200
    assert client.get("/api/v1/me/").status_code == 401


def test_token_is_stored_hashed(acme):
    from accessadmin.models import ApiToken

    make_user(acme, username="ann", password="right-password-1")
    key = login(APIClient(), grant_type="password", username="ann", password="right-password-1").json()["access_token"]
    assert not ApiToken.objects.filter(key_digest=key).exists()
    assert ApiToken.objects.count() == 1


def test_session_auth_works_for_the_browser(acme_admin, pages):
    r = pages(acme_admin).get("/api/v1/me/")
    assert r.status_code == 200 and r.json()["username"] == "acme-admin"


def test_session_writes_need_csrf(acme_admin):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(acme_admin)
    r = client.post("/api/v1/users/", {"username": "x", "password": "long-enough-pass-1"})
    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"
