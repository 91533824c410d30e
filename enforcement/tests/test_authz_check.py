"""GET /authz/check, the gateway's question: 200 with headers, 401, 403, path → resource + part."""

from rest_framework.test import APIClient

from enforcement import paths
from groups.builtins import ADMIN
from groups.models import ApiResource


def check(client, method, uri, authorization=None, **extra):
    headers = {"HTTP_X_ORIGINAL_METHOD": method, "HTTP_X_ORIGINAL_URI": uri, **extra}
    if authorization:
        headers["HTTP_AUTHORIZATION"] = authorization
    return client.get("/authz/check", **headers)


def test_allowed_request_gets_200_with_group_and_till_headers(basic_auth, make_till, acme):
    till = make_till(acme)
    response = check(APIClient(), "POST", "/v2/transactions?store=1", basic_auth(till.code))
    assert response.status_code == 200
    assert response["X-Access-Group"] == "POS"
    assert response["X-Till"] == till.code
    assert response["X-Org"] == "acme"


def test_md5_variant_and_bearer_tokens(basic_auth, builtin, make_api_client, make_till, oauth_token, acme):
    till = make_till(acme)
    assert check(APIClient(), "GET", "/v2/points/12", basic_auth(till.code, md5=True)).status_code == 200
    api_client, secret = make_api_client(acme, builtin(ADMIN))
    bearer = f"Bearer {oauth_token(api_client.client_id, secret)}"
    response = check(APIClient(), "GET", "/v2/org", bearer)
    assert response.status_code == 200
    assert response["X-Api-Client"] == api_client.client_id
    assert response["X-Access-Group"] == ADMIN


def test_denied_and_unauthenticated(basic_auth, make_till, acme):
    till = make_till(acme)
    denied = check(APIClient(), "PUT", "/v2/tills/t9", basic_auth(till.code))
    assert denied.status_code == 403
    assert denied.json()["explanation"] == {"resource": "till", "api": "config", "part": "config",
                                            "permission": "write", "access_group": "POS",
                                            "group_source": "org_default"}
    missing = check(APIClient(), "GET", "/v2/customers")
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"] == 'Basic realm="accessadmin"'
    assert check(APIClient(), "GET", "/v2/customers", basic_auth(till.code, "nope")).status_code == 401


def test_unknown_paths_and_path_tricks_are_denied(basic_auth, make_till, acme):
    till = make_till(acme)
    auth = basic_auth(till.code)
    assert check(APIClient(), "GET", "/v2/not-in-the-catalogue", auth).status_code == 403
    assert check(APIClient(), "GET", "/v2/customers/../stores", auth).status_code == 403
    assert check(APIClient(), "GET", "/v2/customers/%2e%2e/stores", auth).status_code == 403
    assert check(APIClient(), "GET", "/v2/customers/", auth).status_code == 200
    assert check(APIClient(), "HEAD", "/v2/customers/7", auth).status_code == 200
    assert check(APIClient(), "BREW", "/v2/customers/7", auth).status_code == 403


def test_path_patterns():
    assert paths.compile_pattern("/v2/customers/*").match("/v2/customers/12")
    assert not paths.compile_pattern("/v2/customers/*").match("/v2/customers/12/x")
    assert paths.compile_pattern("/v2/points/**").match("/v2/points/issue")
    assert paths.compile_pattern("/v2/points/**").match("/v2/points")
    assert paths.compile_pattern("/v2/points/**").match("/v2/points/a/b/c")
    assert not paths.compile_pattern("/v2/points/**").match("/v2/pointsx")
    assert paths.normalise("/v2/a/./b/../c/?q=1") == "/v2/a/c"


def test_catalogue_edits_take_effect_on_the_next_check(basic_auth, make_till, acme):
    till = make_till(acme)
    auth = basic_auth(till.code)
    assert check(APIClient(), "GET", "/v2/loyalty-members/5", auth).status_code == 403
    customer = ApiResource.objects.get(key="customer")
    customer.data_paths = [*customer.data_paths, "/v2/loyalty-members/*"]
    customer.save()
    assert check(APIClient(), "GET", "/v2/loyalty-members/5", auth).status_code == 200
