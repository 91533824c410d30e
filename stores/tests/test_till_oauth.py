"""Tills with OAuth2 client credentials, through the front door: the credentials endpoint, /oauth/token, the till
API deciding by the till's store, usage under the till, deactivation, and `basic_auth_for_new_tills`."""

from rest_framework.test import APIClient

from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user
from groups.builtins import INSTORE


def _credentials(client, code):
    response = client.post(f"/api/v1/tills/{code}/oauth-client/")
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] and "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["code"] == code and body["oauth_client"] is True
    return body["client_id"], body["client_secret"]


def test_till_token_acts_as_the_till_with_its_stores_group(make_till, make_store, make_group, allocate, oauth_token,
                                                           bearer_client, api, acme, acme_admin, store):
    till = make_till(acme, store, code="acme-o-1")
    client = api(acme_admin)
    client_id, secret = _credentials(client, till.code)
    assert "client_secret" not in client.get(f"/api/v1/tills/{till.code}/").json()
    bearer = bearer_client(oauth_token(client_id, secret))
    # The store has no group: the org default (POS) decides.
    assert bearer.get("/v2/customers").status_code == 200
    denied = bearer.get("/v2/stores")
    assert denied.status_code == 403 and denied.json()["errors"][0]["code"] == 4000
    assert denied.json()["explanation"]["access_group"] == "POS"
    # Allocating the store to a group with config reads changes the very next request.
    config = make_group(acme, "Config reader", grants={("store", "config", "read")})
    allocate(acme, config, [store.code])
    assert bearer.get("/v2/stores").status_code == 200
    assert bearer.get("/v2/customers").status_code == 403
    # Usage is counted under the till (its store too), not under an API client.
    rows = client.get(f"/api/v1/usage/?days=1&caller={till.code}").json()["results"]
    assert {(r["caller_kind"], r["store_code"], r["resource"], r["outcome"]) for r in rows} == {
        ("till", store.code, "customer", "allowed"), ("till", store.code, "store", "denied"),
        ("till", store.code, "store", "allowed"), ("till", store.code, "customer", "denied")}
    body = client.get(f"/api/v1/tills/{till.code}/").json()
    assert body["oauth_last_used_at"] and body["basic_last_used_at"] is None


def test_moving_the_till_store_and_deactivating_end_at_the_next_request(make_till, make_store, make_group, allocate,
                                                                        oauth_token, bearer_client, api, acme,
                                                                        acme_admin, builtin, store):
    till = make_till(acme, store, code="acme-o-2")
    client = api(acme_admin)
    client_id, secret = _credentials(client, till.code)
    bearer = bearer_client(oauth_token(client_id, secret))
    assert bearer.get("/v2/customers").status_code == 200
    allocate(acme, builtin(INSTORE), [store.code])
    assert bearer.get("/v2/customers").status_code == 403  # Instore: customer write only
    assert bearer.post("/v2/customers", {"mobile": "4790000001"}, format="json").status_code == 201
    assert client.post(f"/api/v1/tills/{till.code}/deactivate/").status_code == 200
    assert bearer.get("/v2/customers").status_code == 401
    # Its tokens ended: activating the till does not bring them back, and no new credentials for an inactive till.
    assert client.post(f"/api/v1/tills/{till.code}/oauth-client/").json()["code"] == "till_inactive"
    assert client.post(f"/api/v1/tills/{till.code}/activate/").status_code == 200
    assert bearer.get("/v2/customers").status_code == 401
    again = bearer_client(oauth_token(client_id, secret))
    assert again.post("/v2/customers", {"mobile": "4790000002"}, format="json").status_code == 201


def test_new_credentials_and_revocation_end_the_old_tokens(make_till, oauth_token, bearer_client, api, acme,
                                                          acme_admin, store):
    till = make_till(acme, store, code="acme-o-3")
    client = api(acme_admin)
    first_id, first_secret = _credentials(client, till.code)
    first = bearer_client(oauth_token(first_id, first_secret))
    second_id, second_secret = _credentials(client, till.code)
    assert second_id != first_id
    assert first.get("/v2/customers").status_code == 401
    second = bearer_client(oauth_token(second_id, second_secret))
    assert second.get("/v2/customers").status_code == 200
    revoked = client.delete(f"/api/v1/tills/{till.code}/oauth-client/")
    assert revoked.status_code == 200 and revoked.json()["oauth_client"] is False
    assert second.get("/v2/customers").status_code == 401
    refused = APIClient().post("/oauth/token", {"grant_type": "client_credentials", "client_id": second_id,
                                                "client_secret": second_secret})
    assert refused.status_code == 401
    # The Basic secret still works: OAuth2 credentials are an addition.
    assert client.get(f"/api/v1/tills/{till.code}/").json()["basic_auth"] is True


def test_basic_auth_for_new_tills_off_gives_new_tills_oauth_only(till_client, oauth_token, bearer_client, api, acme,
                                                                 acme_admin, store, make_till):
    client = api(acme_admin)
    old = make_till(acme, store, code="acme-o-old")
    settings = client.patch("/api/v1/org/", {"basic_auth_for_new_tills": False}, format="json")
    assert settings.status_code == 200 and settings.json()["basic_auth_for_new_tills"] is False
    created = client.post(f"/api/v1/stores/{store.code}/tills/", {"code": "acme-o-new"}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert "secret" not in body and body["basic_auth"] is False and body["client_id"] and body["client_secret"]
    assert bearer_client(oauth_token(body["client_id"], body["client_secret"])).get("/v2/customers").status_code == 200
    # No Basic secret: nothing to guess, and rotating would make one, which the org refuses for such tills.
    assert till_client("acme-o-new", "anything-at-all").get("/v2/customers").status_code == 401
    rotate = client.post("/api/v1/tills/acme-o-new/rotate-secret/")
    assert rotate.status_code == 409 and rotate.json()["code"] == "basic_secret_not_allowed"
    # Tills made before keep their Basic secret.
    assert till_client(old.code).get("/v2/customers").status_code == 200
    listed = {t["code"]: t for t in client.get("/api/v1/tills/").json()["results"]}
    assert listed["acme-o-old"]["basic_auth"] is True and listed["acme-o-old"]["basic_last_used_at"]
    assert listed["acme-o-new"]["basic_auth"] is False
    bad = client.patch("/api/v1/org/", {"basic_auth_for_new_tills": "maybe"}, format="json")
    assert bad.status_code == 400


def test_basic_auth_for_new_tills_page(pages, acme, acme_admin, store):
    page = pages(acme_admin)
    response = page.post("/stores/-/enforcement/", {"basic_auth_enabled": "on", "enforcement_mode": "enforce"})
    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.basic_auth_enabled is True and acme.basic_auth_for_new_tills is False
    created = page.post("/stores/-/tills/new/", {"store": store.code, "code": "acme-o-page"})
    assert created.status_code == 200 and created.context["credentials"].client_secret
    assert b"Client secret" in created.content and "no-store" in created["Cache-Control"]


def test_credentials_pages(make_till, pages, acme, acme_admin, store):
    till = make_till(acme, store, code="acme-o-pg")
    page = pages(acme_admin)
    assert b"Create OAuth2 credentials" in page.get(f"/stores/-/tills/{till.code}/").content
    shown = page.post(f"/stores/-/tills/{till.code}/oauth-client/")
    assert shown.status_code == 200 and shown.context["credentials"].client_id
    assert b"Revoke OAuth2 credentials" in page.get(f"/stores/-/tills/{till.code}/").content
    assert page.post(f"/stores/-/tills/{till.code}/oauth-client/revoke/").status_code == 302
    till.refresh_from_db()
    assert till.oauth_application_id is None


def test_refusals_and_isolation(make_till, api, acme, acme_admin, globex_admin, store):
    till = make_till(acme, store, code="acme-o-iso")
    assert_other_org_404(api(globex_admin), f"/api/v1/tills/{till.code}/oauth-client/", "post")
    assert_other_org_404(api(globex_admin), f"/api/v1/tills/{till.code}/oauth-client/", "delete")
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    assert api(csr).post(f"/api/v1/tills/{till.code}/oauth-client/").status_code == 403
    assert api(acme_admin).post("/api/v1/tills/acme-nope/oauth-client/").status_code == 404
