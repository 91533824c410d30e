"""The till API's side of the one error path: every error under /v2/ and /authz/ is the till shape, for
signed-in tills too, and the database being down is a real 503 code 4001."""

import json
import re

import pytest
from rest_framework.schemas.generators import EndpointEnumerator

from accessadmin import limits
from accessadmin.testing import database_unreachable
from groups.builtins import ADMIN

UNAVAILABLE = {"warnings": [], "errors": [
    {"status": False, "code": 4001, "message": "Authorization status unavailable!"}]}


def till_error(code: int, message: str) -> dict:
    return {"warnings": [], "errors": [{"status": False, "code": code, "message": message}]}


@pytest.fixture
def admin_till(builtin, make_store, make_till, acme):
    return make_till(acme, make_store(acme, group=builtin(ADMIN)))


@pytest.mark.parametrize("path", ["/v2/coupons", "/v2/user-groups", "/v2/customers/1/nope"])
def test_unknown_paths_are_404_for_a_signed_in_till(till_client, admin_till, path):
    response = till_client(admin_till.code).get(path)
    assert response.status_code == 404
    assert response.json() == till_error(4104, "Not found.")


def test_an_unsupported_media_type_is_415_code_4115(till_client, admin_till):
    response = till_client(admin_till.code).post("/v2/customers", "mobile=1", content_type="text/plain")
    assert response.status_code == 415
    assert response.json() == till_error(4115, 'Unsupported media type "text/plain" in request.')


def test_a_body_over_the_limit_is_413_code_4113_before_authentication(till_client, admin_till,
                                                                      django_assert_num_queries):
    body = json.dumps({"mobile": "1" * limits.BODY_MAX_BYTES})
    with django_assert_num_queries(0):
        response = till_client(admin_till.code).post("/v2/customers", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == till_error(4113, f"The request body is larger than {limits.BODY_MAX_BYTES} bytes.")


@pytest.mark.parametrize("path", ["/v2/customers", "/v2/transactions", "/v2/points/issue", "/v2/events"])
def test_json_nested_too_deep_is_400_code_4100(till_client, admin_till, path):
    body = '{"mobile": "+4917000001", "attributes": ' + "[" * 999 + "]" * 999 + "}"
    response = till_client(admin_till.code).post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == till_error(4100, f"JSON is nested deeper than {limits.JSON_MAX_DEPTH} levels.")
    assert not admin_till.org.shopper_profiles.exists()


def test_nul_in_a_json_string_is_400_code_4100_and_changes_nothing(till_client, admin_till):
    response = till_client(admin_till.code).post("/v2/customers", {"mobile": "+4917000001", "first_name": "S\x00m"},
                                                 format="json")
    assert response.status_code == 400
    assert response.json() == {**till_error(4100, "Text must not contain NUL characters."),
                               "fields": {"first_name": ["Must not contain NUL characters."]}}
    assert not admin_till.org.shopper_profiles.exists()


def test_options_on_every_till_path_is_json(till_client, admin_till):
    paths = sorted({re.sub(r"\{[^}]+\}", "1", path) for path, _method, _view in
                    EndpointEnumerator().get_api_endpoints() if path.startswith("/v2/")})
    assert len(paths) > 5
    for path in paths:
        response = till_client(admin_till.code).options(path)
        assert response.status_code == 200, (path, response.content[:300])


def test_database_down_is_a_real_503_code_4001(make_till, till_client, admin_till):
    warm = till_client(admin_till.code)
    assert warm.get("/v2/customers").status_code == 200
    cold = till_client(make_till(admin_till.org, admin_till.store).code)
    with database_unreachable():
        for client in (warm, cold):
            response = client.get("/v2/customers")
            assert response.status_code == 503
            assert response.json() == UNAVAILABLE
            check = client.get("/authz/check", HTTP_X_ORIGINAL_METHOD="GET", HTTP_X_ORIGINAL_URI="/v2/customers")
            assert check.status_code == 503
            assert check.json() == UNAVAILABLE
    assert warm.get("/v2/customers").status_code == 200
