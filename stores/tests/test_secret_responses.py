"""Every response that carries a secret shown once (till create and rotate, API client create — pages, admin
API and till API — the bearer token of POST /ccadmin/v1/login and the OAuth2 token) says `Cache-Control:
no-store` and `Pragma: no-cache`, so no browser history, cache or proxy keeps it."""

import pytest
from rest_framework.test import APIClient

from accessadmin.testing import make_user
from groups.builtins import ADMIN, POS

pytestmark = pytest.mark.django_db


def assert_never_stored(response, status: int) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"


def test_admin_api_till_and_client_secrets(builtin, api, acme_admin, store):
    client = api(acme_admin)
    created = client.post("/api/v1/stores/acme-s001/tills/", {"code": "acme-s001-t1"}, format="json")
    assert_never_stored(created, 201)
    assert "secret" in created.json()
    assert_never_stored(client.post("/api/v1/tills/acme-s001-t1/rotate-secret/"), 200)
    made = client.post("/api/v1/api-clients/", {"name": "ERP", "access_group": builtin(POS).pk}, format="json")
    assert_never_stored(made, 201)
    # Answers without a secret may be cached as before.
    assert "Pragma" not in client.get("/api/v1/tills/acme-s001-t1/")


def test_pages_till_and_client_secrets(builtin, pages, acme_admin, store):
    page = pages(acme_admin)
    assert_never_stored(page.post("/stores/-/tills/new/", {"store": "acme-s001", "code": "acme-s001-t1"}), 200)
    assert_never_stored(page.post("/stores/-/tills/acme-s001-t1/rotate/"), 200)
    made = page.post("/stores/-/api-clients/new/", {"name": "Webshop", "access_group": builtin(POS).pk})
    assert_never_stored(made, 200)


def test_till_api_till_secret(builtin, make_store, make_till, till_client, acme):
    admin_till = make_till(acme, make_store(acme, "acme-s002", group=builtin(ADMIN)))
    created = till_client(admin_till.code).post("/v2/tills", {"store": "acme-s002", "code": "acme-s002-t9"},
                                                format="json")
    assert_never_stored(created, 201)
    assert created.json()["secret"]


def test_login_token_and_oauth_token(builtin, make_api_client, acme):
    make_user(acme, username="acme-ann", password="right-password-1")
    login = APIClient().post("/ccadmin/v1/login", {"grant_type": "password", "username": "acme-ann",
                                                   "password": "right-password-1"})
    assert_never_stored(login, 200)
    api_client, secret = make_api_client(acme, builtin(POS))
    token = APIClient().post("/oauth/token", {"grant_type": "client_credentials", "client_id": api_client.client_id,
                                              "client_secret": secret})
    assert_never_stored(token, 200)
