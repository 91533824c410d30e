"""One error path for the whole API surface: every error under /v2/, /api/v1/, /ccadmin/v1/, /oauth/ and
/authz/ is JSON in that surface's shape, whichever layer answers it, in production and debug mode alike."""

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accessadmin import limits
from accessadmin.models import Role
from accessadmin.testing import api_client, closed_port, database_unreachable, page_client

ROOT = Path(__file__).resolve().parents[2]

TILL_CODES = {400: 4100, 401: 4010, 403: 4000, 404: 4104, 405: 4105, 413: 4113, 415: 4115, 500: 4500,
              503: 4001}
OAUTH_ERRORS = {400: "invalid_request", 401: "invalid_client", 413: "invalid_request", 415: "invalid_request",
                500: "server_error", 503: "temporarily_unavailable"}


def shape(prefix: str, status: int, code: str, message: str) -> dict:
    """Returns the error body a client of `prefix` expects for (status, code, message)."""
    if prefix in ("/v2/", "/authz/"):
        if status == 503:
            message = "Authorization status unavailable!"
        if status == 403:
            message = "Not authorized. Access is denied!"
        return {"warnings": [], "errors": [{"status": False, "code": TILL_CODES[status], "message": message}]}
    if prefix == "/api/v1/":
        return {"code": code, "message": message}
    if prefix == "/ccadmin/v1/":
        return {"errorCode": code, "message": message, "status": str(status)}
    return {"error": OAUTH_ERRORS.get(status, code), "error_description": message}


PREFIXES = ["/v2/", "/api/v1/", "/ccadmin/v1/", "/oauth/", "/authz/"]


def assert_error(response, prefix: str, status: int, code: str, message: str) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json", response.content[:300]
    assert response.json() == shape(prefix, status, code, message)


def anonymous() -> Client:
    return Client(raise_request_exception=False)


# --- unknown paths, 405, 500 --------------------------------------------------------------------------------


@pytest.mark.parametrize("path,prefix", [
    ("/v2/coupons", "/v2/"), ("/v2/user-groups", "/v2/"), ("/v2/customers/abc", "/v2/"),
    ("/api/v1/nope/", "/api/v1/"), ("/api/v1/access-groups/abc/", "/api/v1/"),
    ("/ccadmin/v1/nope", "/ccadmin/v1/"), ("/oauth/nope", "/oauth/"), ("/authz/nope", "/authz/"),
])
def test_unknown_paths_are_json_404_in_the_surface_shape(db, path, prefix):
    assert_error(anonymous().get(path), prefix, 404, "not_found", "Not found.")
    assert_error(anonymous().post(path, {"a": 1}, content_type="application/json"), prefix, 404, "not_found",
                 "Not found.")


def test_unknown_api_paths_are_404_for_signed_in_callers_too(acme_admin):
    assert_error(api_client(acme_admin).get("/api/v1/nope/"), "/api/v1/", 404, "not_found", "Not found.")
    assert_error(api_client(acme_admin).get("/ccadmin/v1/adminNope"), "/ccadmin/v1/", 404, "not_found",
                 "Not found.")


def test_pages_keep_their_html_404(db):
    response = anonymous().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_oauth_token_answers_405_as_json_with_allow(db):
    response = anonymous().get("/oauth/token")
    assert_error(response, "/oauth/", 405, "method_not_allowed", 'Method "GET" not allowed.')
    assert "POST" in response["Allow"]


@pytest.mark.urls("accessadmin.tests.error_urls")
@pytest.mark.parametrize("prefix", PREFIXES)
def test_405_of_a_plain_view_is_json_with_allow(db, prefix):
    response = anonymous().delete(f"{prefix}test-get-only")
    assert_error(response, prefix, 405, "method_not_allowed", 'Method "DELETE" not allowed.')
    assert response["Allow"] == "GET"


@pytest.mark.urls("accessadmin.tests.error_urls")
@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("view", ["test-broken", "test-broken-api"])
def test_a_bug_is_a_json_500_and_its_traceback_is_logged(db, prefix, view, caplog):
    response = anonymous().get(f"{prefix}{view}")
    assert_error(response, prefix, 500, "server_error", "The server could not complete the request.")
    assert b"a bug in" not in response.content
    logged = [r for r in caplog.records if r.levelname == "ERROR" and r.exc_info]
    assert logged and "a bug in" in str(logged[0].exc_info[1])


def test_the_test_client_still_raises_a_bug_when_asked_to(db, settings):
    # The middleware answers, but it reports the exception like Django does (error trackers listen).
    settings.ROOT_URLCONF = "accessadmin.tests.error_urls"
    with pytest.raises(RuntimeError, match="a bug in a view"):
        Client().get("/api/v1/test-broken")


@pytest.mark.urls("accessadmin.tests.error_urls")
@pytest.mark.parametrize("prefix", PREFIXES)
def test_debug_mode_answers_json_too(db, settings, prefix):
    settings.DEBUG = True
    assert_error(anonymous().get(f"{prefix}no-such-thing"), prefix, 404, "not_found", "Not found.")
    assert_error(anonymous().post(f"{prefix}test-get-only"), prefix, 405, "method_not_allowed",
                 'Method "POST" not allowed.')
    for view in ("test-broken", "test-broken-api"):
        response = anonymous().get(f"{prefix}{view}")
        assert_error(response, prefix, 500, "server_error", "The server could not complete the request.")
        assert b"Traceback" not in response.content


def test_a_disallowed_host_is_json_400(db, settings):
    settings.ALLOWED_HOSTS = ["api.example.com"]
    assert_error(anonymous().get("/api/v1/me/", HTTP_HOST="evil.example.com"), "/api/v1/", 400, "bad_request",
                 "The request could not be processed.")


@pytest.mark.urls("accessadmin.tests.error_urls")
@pytest.mark.parametrize("prefix", [p for p in PREFIXES if p not in ("/v2/", "/authz/")])
def test_a_refused_csrf_token_is_json_403(acme_admin, prefix):
    client = page_client(acme_admin)
    client.handler.enforce_csrf_checks = True
    response = client.post(f"{prefix}test-form", {"name": "X"})
    assert_error(response, prefix, 403, "permission_denied", "You do not have permission to do this.")


@pytest.mark.urls("accessadmin.tests.error_urls")
@pytest.mark.parametrize("prefix", ["/v2/", "/authz/"])
def test_the_hot_paths_have_no_session_so_no_csrf_to_refuse(acme_admin, prefix):
    """The till API and the gateway check skip sessions (accessadmin.hotpath): a browser's session cookie
    proves nothing there, so a cross-site form post carries no authority and CSRF has nothing to protect."""
    client = page_client(acme_admin)
    client.handler.enforce_csrf_checks = True
    response = client.post(f"{prefix}test-form", {"name": "X"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response and "Cookie" not in response.get("Vary", "")


def test_browsers_get_json_errors_too(acme_admin):
    response = api_client(acme_admin).get("/api/v1/access-groups/999999/", HTTP_ACCEPT="text/html")
    assert_error(response, "/api/v1/", 404, "not_found", "Not found.")


# --- body size, media type, JSON depth ----------------------------------------------------------------------


def test_the_body_limit_is_declared_once(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == limits.BODY_MAX_BYTES


@pytest.mark.parametrize("path,prefix", [
    ("/ccadmin/v1/login", "/ccadmin/v1/"), ("/api/v1/access-groups/", "/api/v1/"),
    ("/v2/customers", "/v2/"), ("/oauth/token", "/oauth/"), ("/authz/check", "/authz/"),
])
def test_a_body_over_the_limit_is_json_413(db, path, prefix, django_assert_num_queries):
    body = json.dumps({"name": "x" * limits.BODY_MAX_BYTES})
    with django_assert_num_queries(0):
        response = anonymous().post(path, body, content_type="application/json")
    assert_error(response, prefix, 413, "payload_too_large",
                 f"The request body is larger than {limits.BODY_MAX_BYTES} bytes.")
    form = anonymous().post(path, {"username": "x" * limits.BODY_MAX_BYTES})
    assert form.status_code == 413


def test_a_body_at_the_limit_is_read(db):
    body = json.dumps({"grant_type": "password", "username": "u", "password": "p"})
    body += " " * (limits.BODY_MAX_BYTES - len(body))
    response = anonymous().post("/ccadmin/v1/login", body, content_type="application/json")
    assert response.status_code == 401


def test_an_unsupported_media_type_is_json_415(db):
    response = anonymous().post("/ccadmin/v1/login", "<login/>", content_type="application/xml")
    assert_error(response, "/ccadmin/v1/", 415, "unsupported_media_type",
                 'Unsupported media type "application/xml" in request.')


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [limits.JSON_MAX_DEPTH + 1, 1000, 100_000])
def test_json_nested_too_deep_is_400_too_deep(acme_admin, depth):
    message = f"JSON is nested deeper than {limits.JSON_MAX_DEPTH} levels."
    login = anonymous().post("/ccadmin/v1/login", nested(depth), content_type="application/json")
    assert_error(login, "/ccadmin/v1/", 400, "too_deep", message)
    body = '{"name": "Deep", "permissions": ' + nested(depth - 1) + "}"
    groups = api_client(acme_admin).post("/api/v1/access-groups/", body, content_type="application/json")
    assert_error(groups, "/api/v1/", 400, "too_deep", message)
    assert not acme_admin.org.access_groups.filter(name="Deep").exists()


def test_json_at_the_depth_limit_is_parsed(db):
    response = anonymous().post("/ccadmin/v1/login", nested(limits.JSON_MAX_DEPTH), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errorCode"] != "too_deep"


# --- NUL characters ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path,prefix", [
    ("/api/v1/users/?search=a%00b", "/api/v1/"),
    ("/api/v1/access-groups/?na%00me=x", "/api/v1/"),
    ("/ccadmin/v1/adminRoles?q=%00", "/ccadmin/v1/"),
    ("/ccadmin/v1/adminRoles/admin%00Role", "/ccadmin/v1/"),
    ("/v2/customers?email=a%00@example.com", "/v2/"),
    ("/authz/check?x=%00", "/authz/"),
])
def test_nul_in_the_path_or_query_is_400_before_any_query(acme_admin, path, prefix, django_assert_num_queries):
    client = api_client(acme_admin)
    with django_assert_num_queries(0):
        response = client.get(path)
    assert_error(response, prefix, 400, "invalid_characters", "Text must not contain NUL characters.")


@pytest.mark.parametrize("path,prefix,user_id", [
    ("/v2/customers", "/v2/", b"acme\x00t1"), ("/authz/check", "/authz/", b"acme\x00t1"),
    ("/oauth/token", "/oauth/", b"client\x00"), ("/oauth/token", "/oauth/", b"client%00"),
])
def test_nul_in_the_user_id_of_basic_credentials_is_400_before_any_query(db, path, prefix, user_id,
                                                                          django_assert_num_queries):
    header = "Basic " + base64.b64encode(user_id + b":secret").decode()
    with django_assert_num_queries(0):
        response = anonymous().post(path, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=header)
    assert_error(response, prefix, 400, "invalid_characters", "Text must not contain NUL characters.")


def test_a_secret_is_never_read_for_nul(db):
    header = "Basic " + base64.b64encode(b"acme-t1:se%00cret").decode()
    assert anonymous().get("/v2/customers", HTTP_AUTHORIZATION=header).status_code == 401


def test_nul_in_form_fields_is_400(acme_admin):
    login = anonymous().post("/ccadmin/v1/login", {"grant_type": "password", "username": "acme-\x00admin",
                                                  "password": "pw-for-tests-1"})
    assert_error(login, "/ccadmin/v1/", 400, "invalid_characters", "Text must not contain NUL characters.")
    token = anonymous().post("/oauth/token", {"grant_type": "client_credentials", "client_id": "a\x00b",
                                             "client_secret": "s"})
    assert_error(token, "/oauth/", 400, "invalid_characters", "Text must not contain NUL characters.")
    patched = api_client(acme_admin).patch(f"/api/v1/users/{acme_admin.pk}/", "first_name=A%00",
                                           content_type="application/x-www-form-urlencoded")
    assert_error(patched, "/api/v1/", 400, "invalid_characters", "Text must not contain NUL characters.")


@pytest.mark.parametrize("body,fields", [
    ({"name": "We\x00Chat", "permissions": []}, {"name": ["Must not contain NUL characters."]}),
    ({"name": "WeChat2", "description": ["ok", {"deep": "x\x00"}], "permissions": []},
     {"description": ["Must not contain NUL characters."]}),
    ({"name": "WeChat3", "permissions": [], "bad\x00key": 1}, None),
])
def test_nul_in_json_strings_and_keys_is_400_and_changes_nothing(acme_admin, body, fields):
    before = acme_admin.org.access_groups.count()
    response = api_client(acme_admin).post("/api/v1/access-groups/", body, format="json")
    expected = {"code": "invalid_characters", "message": "Text must not contain NUL characters."}
    if fields:
        expected["fields"] = fields
    assert response.status_code == 400
    assert response.json() == expected
    assert acme_admin.org.access_groups.count() == before


# --- paging numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    "offset=9223372036854775808", "offset=99999999999999999999999999", "offset=-1", "offset=abc",
    "offset=1e3", "offset=1_000", "limit=0", "limit=-5", "limit=x", "limit=9223372036854775808",
    "offset=%D9%A3",
])
def test_bad_offset_and_limit_are_400_invalid_paging(acme_admin, query):
    response = api_client(acme_admin).get(f"/ccadmin/v1/adminRoles?{query}")
    assert response.status_code == 400
    assert response.json()["errorCode"] == "invalid_paging"


def test_offset_and_limit_up_to_the_maximum_are_answered(acme_admin):
    body = api_client(acme_admin).get(f"/ccadmin/v1/adminRoles?offset={limits.PAGING_MAX_NUMBER}&limit=5000").json()
    assert body["items"] == [] and body["offset"] == limits.PAGING_MAX_NUMBER and body["limit"] == 1000


@pytest.mark.parametrize("query", [
    "page=abc", "page=0", "page=-1", "page=99999999999999999999999", "page=1.5",
    "page_size=abc", "page_size=0", "page_size=-1", "page_size=9223372036854775808",
])
def test_bad_page_and_page_size_are_400_invalid_paging(acme_admin, query):
    for path in ("/api/v1/users/", "/api/v1/access-groups/", "/api/v1/stores/"):
        response = api_client(acme_admin).get(f"{path}?{query}")
        assert response.status_code == 400, (path, query, response.content)
        assert response.json()["code"] == "invalid_paging"


def test_a_page_past_the_end_is_still_404_and_last_works(acme_admin):
    client = api_client(acme_admin)
    assert_error(client.get("/api/v1/users/?page=7"), "/api/v1/", 404, "not_found", "Invalid page.")
    assert client.get("/api/v1/users/?page=last&page_size=600").json()["results"][0]["username"] == "acme-admin"


# --- OPTIONS -------------------------------------------------------------------------------------------------


def _api_paths(prefix):
    from rest_framework.schemas.generators import EndpointEnumerator

    paths = {path for path, _method, _view in EndpointEnumerator().get_api_endpoints() if path.startswith(prefix)}
    return sorted(re.sub(r"\{[^}]+\}", "1", path) for path in paths)


@pytest.mark.parametrize("prefix", ["/api/v1/", "/ccadmin/v1/"])
def test_options_answers_200_on_every_admin_api_path(acme_admin, prefix):
    paths = _api_paths(prefix)
    assert len(paths) > 5
    client = api_client(acme_admin)
    for path in paths:
        response = client.options(path)
        assert response.status_code == 200, (path, response.content[:300])
        assert response.json()["name"]


# --- the database down ---------------------------------------------------------------------------------------


def test_admin_apis_answer_json_503_while_the_database_is_down(acme_admin):
    api = api_client(acme_admin)
    api.raise_request_exception = False
    session = page_client(acme_admin)
    session.raise_request_exception = False
    message = "The service is temporarily unavailable."
    with database_unreachable():
        assert_error(api.get("/api/v1/users/"), "/api/v1/", 503, "unavailable", message)
        assert_error(api.get("/api/v1/access-groups/"), "/api/v1/", 503, "unavailable", message)
        assert_error(api.get("/ccadmin/v1/adminRoles"), "/ccadmin/v1/", 503, "unavailable", message)
        assert_error(session.get("/api/v1/users/"), "/api/v1/", 503, "unavailable", message)
        login = anonymous().post("/ccadmin/v1/login", {"grant_type": "password", "username": "acme-admin",
                                                       "password": "pw-for-tests-1"})
        assert_error(login, "/ccadmin/v1/", 503, "unavailable", message)
        token = anonymous().post("/oauth/token", {"grant_type": "client_credentials", "client_id": "c",
                                                  "client_secret": "s"})
        assert_error(token, "/oauth/", 503, "unavailable", message)
        assert_error(api.get("/v2/customers"), "/v2/", 503, "unavailable", message)
    # Everything answers again once the database is back.
    assert api.get("/api/v1/users/").status_code == 200
    assert Role.objects.filter(org=acme_admin.org).exists()


# --- health and readiness ------------------------------------------------------------------------------------


def test_healthz_is_the_process_alone(db):
    with database_unreachable():
        response = anonymous().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_readyz_reports_database_and_cache(db):
    response = anonymous().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    with database_unreachable():
        response = anonymous().get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "unavailable", "cache": "ok"}


def test_readyz_reports_an_unreachable_cache(db, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}}
    response = anonymous().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "unavailable"}


def test_readyz_and_healthz_are_exempt_from_the_https_redirect(tmp_path):
    # Production settings in a process of their own; the database there is unreachable on purpose.
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 50, "DJANGO_ALLOWED_HOSTS": "testserver",
           "DATABASE_URL": f"sqlite:///{tmp_path}/missing/db.sqlite3"}
    script = ("import django; django.setup(); from django.test import Client; c = Client();"
              "print(c.get('/healthz').status_code, c.get('/readyz').status_code, c.get('/api/v1/me/').status_code)")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["200", "503", "301"], result.stderr[-2000:]


# --- every response of the suite -----------------------------------------------------------------------------


def test_the_suite_fails_a_test_that_gets_an_html_error_under_an_api_prefix(db, settings):
    # The autouse fixture of the root conftest checks every response of the test client; this test shows
    # that it would catch an HTML error page by turning the API error middleware off.
    from _pytest.outcomes import Failed

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accessadmin.api.middleware.ApiErrorMiddleware"]
    with pytest.raises(Failed, match="not JSON"):
        APIClient().get("/api/v1/nope/")
    Client().get("/no-such-page/")  # pages may answer HTML
