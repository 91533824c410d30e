"""The hot paths (/v2/, /authz/) run through the short stack of accessadmin.hotpath; everything else
through the full MIDDLEWARE."""

from django.test import Client

from accessadmin.testing import page_client


def test_a_till_request_gets_the_security_headers_and_nothing_of_the_page_stack(make_store, make_till,
                                                                                 till_client, acme, acme_admin):
    till = make_till(acme, make_store(acme, "acme-hot1"))
    client = till_client(till.code)
    # A logged-in browser's session cookie rides along and is ignored: no session is read or written.
    client.cookies = page_client(acme_admin).cookies
    response = client.get("/v2/customers")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(len(response.content))
    for header in ("Content-Security-Policy", "Set-Cookie", "X-Frame-Options"):
        assert header not in response, header
    assert "Cookie" not in response.get("Vary", "")
    check = client.get("/authz/check", HTTP_X_ORIGINAL_METHOD="GET", HTTP_X_ORIGINAL_URI="/v2/customers")
    assert check.status_code == 200 and check["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in check


def test_hot_path_errors_stay_json(db):
    response = Client().get("/v2/no-such-path")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == 4104
    response = Client().get("/authz/check")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Basic")


def test_pages_keep_the_full_stack(db):
    response = Client().get("/login/")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"
