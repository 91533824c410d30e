"""API clients: OAuth2 client credentials, each client with its own access group; create, list, revoke."""

import pytest
from rest_framework.test import APIClient

from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user
from groups.builtins import ADMIN, POS
from stores.models import ApiClient


def test_create_returns_client_secret_once_and_token_works(bearer_client, builtin, api, acme, acme_admin):
    client = api(acme_admin)
    response = client.post("/api/v1/api-clients/", {"name": "ERP", "access_group": builtin(POS).pk}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["client_id"] and body["client_secret"] and body["access_group"]["name"] == "POS"
    listed = client.get("/api/v1/api-clients/").json()["results"]
    assert [c["name"] for c in listed] == ["ERP"] and "client_secret" not in listed[0]
    token = APIClient().post("/oauth/token", {"grant_type": "client_credentials", "client_id": body["client_id"],
                                              "client_secret": body["client_secret"]})
    assert token.status_code == 200
    assert token.json()["token_type"] == "Bearer"
    bearer = bearer_client(token.json()["access_token"])
    assert bearer.get("/v2/customers").status_code == 200
    assert bearer.get("/v2/stores").status_code == 403


def test_wrong_client_secret_gets_no_token(bearer_client, builtin, make_api_client, acme):
    api_client, _secret = make_api_client(acme, builtin(POS))
    response = APIClient().post("/oauth/token", {"grant_type": "client_credentials",
                                                 "client_id": api_client.client_id, "client_secret": "nope"})
    assert response.status_code == 401
    assert bearer_client("not-a-token").get("/v2/customers").status_code == 401


def test_custom_group_decides_for_the_client(bearer_client, make_group, make_api_client, oauth_token, acme):
    group = make_group(acme, "Config only", grants={("organization", "config", "read")})
    api_client, secret = make_api_client(acme, group)
    bearer = bearer_client(oauth_token(api_client.client_id, secret))
    assert bearer.get("/v2/org").status_code == 200
    assert bearer.get("/v2/customers").status_code == 403


def test_revoke_stops_tokens_on_the_next_request(bearer_client, builtin, make_api_client, oauth_token, api, acme,
                                                 acme_admin):
    api_client, secret = make_api_client(acme, builtin(ADMIN))
    bearer = bearer_client(oauth_token(api_client.client_id, secret))
    assert bearer.get("/v2/org").status_code == 200
    response = api(acme_admin).post(f"/api/v1/api-clients/{api_client.pk}/revoke/")
    assert response.status_code == 200 and response.json()["active"] is False
    assert bearer.get("/v2/org").status_code == 401
    again = APIClient().post("/oauth/token", {"grant_type": "client_credentials", "client_id": api_client.client_id,
                                              "client_secret": secret})
    assert again.status_code == 401


def test_refusals(builtin, make_group, make_api_client, api, acme, acme_admin, globex, globex_admin):
    client = api(acme_admin)
    assert client.post("/api/v1/api-clients/", {"name": "", "access_group": builtin(POS).pk},
                       format="json").status_code == 400
    globex_group = make_group(globex, "Globex only", grants={("customer", "data", "read")})
    assert client.post("/api/v1/api-clients/", {"name": "X", "access_group": globex_group.pk},
                       format="json").status_code == 404
    api_client, _ = make_api_client(acme, builtin(POS), name="Dup")
    dup = client.post("/api/v1/api-clients/", {"name": "dup", "access_group": builtin(POS).pk}, format="json")
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate_name"
    assert_other_org_404(api(globex_admin), f"/api/v1/api-clients/{api_client.pk}/")
    assert_other_org_404(api(globex_admin), f"/api/v1/api-clients/{api_client.pk}/revoke/", "post")
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    assert api(csr).post("/api/v1/api-clients/", {"name": "Y", "access_group": builtin(POS).pk},
                         format="json").status_code == 403


def test_new_api_client_page_preselects_no_group_and_requires_a_choice(builtin, pages, acme, acme_admin):
    page = pages(acme_admin)
    form = page.get("/stores/-/api-clients/new/").content.decode()
    assert f'value="{builtin(ADMIN).pk}"' not in form and " selected" not in form  # no group chosen for you
    response = page.post("/stores/-/api-clients/new/", {"name": "Webshop"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not ApiClient.objects.filter(org=acme).exists()


def test_pages_create_list_revoke(builtin, oauth_token, pages, acme, acme_admin):
    page = pages(acme_admin)
    assert page.get("/stores/-/api-clients/new/").status_code == 200
    response = page.post("/stores/-/api-clients/new/", {"name": "Webshop", "access_group": builtin(POS).pk})
    assert response.status_code == 200
    secret = response.context["secret"]
    client_id = response.context["client"].client_id
    assert secret.encode() in response.content and "no-store" in response["Cache-Control"]
    listing = page.get("/stores/-/api-clients/")
    assert b"Webshop" in listing.content and secret.encode() not in listing.content
    assert oauth_token(client_id, secret)
    pk = response.context["client"].pk
    ask = page.get(f"/stores/-/api-clients/{pk}/revoke/").content.decode()
    assert "Revoke the API client Webshop?" in ask and "its 1 valid access token stop working at once" in ask
    assert client_id in ask and ApiClient.objects.get(pk=pk).is_active  # asking changes nothing
    assert page.post(f"/stores/-/api-clients/{pk}/revoke/").status_code == 302
    assert page.get(f"/stores/-/api-clients/{pk}/revoke/").status_code == 302  # nothing left to revoke
    assert b"Revoked" in page.get("/stores/-/api-clients/").content


@pytest.mark.parametrize("rows", [1, 30])
def test_api_client_list_query_counts(builtin, make_api_client, api, pages, acme, acme_admin, rows,
                                      django_assert_num_queries):
    for _ in range(rows):
        make_api_client(acme, builtin(POS))
    client, page = api(acme_admin), pages(acme_admin)
    with django_assert_num_queries(4):
        assert client.get("/api/v1/api-clients/").status_code == 200
    with django_assert_num_queries(6):
        assert page.get("/stores/-/api-clients/").status_code == 200
