"""Tills through the front door: /api/v1/ endpoints and pages, refusals, isolation, query counts."""

import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user
from groups.builtins import INSTORE
from stores import services as store_services
from stores.models import Till


def test_create_till_returns_the_secret_once_and_it_works(till_client, api, acme_admin, store):
    client = api(acme_admin)
    response = client.post("/api/v1/stores/acme-s001/tills/", {"code": "acme-s001-t1"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["code"] == "acme-s001-t1" and body["store"] == "acme-s001" and len(body["secret"]) >= 24
    assert "secret" not in client.get("/api/v1/tills/acme-s001-t1/").json()
    assert "secret" not in client.get("/api/v1/stores/acme-s001/tills/").json()["results"][0]
    assert till_client("acme-s001-t1", body["secret"]).get("/v2/customers").status_code == 200
    auto = client.post("/api/v1/stores/acme-s001/tills", {}, format="json").json()
    assert auto["code"] == "acme-s001-t2"


def test_create_till_refusals_change_nothing(api, acme_admin, store):
    client = api(acme_admin)
    client.post("/api/v1/stores/acme-s001/tills/", {"code": "acme-t-1"}, format="json")
    dup = client.post("/api/v1/stores/acme-s001/tills/", {"code": "acme-t-1"}, format="json")
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate_code"
    bad = client.post("/api/v1/stores/acme-s001/tills/", {"code": "no spaces!"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_code"
    assert client.post("/api/v1/stores/nope/tills/", {}, format="json").status_code == 404
    assert client.get("/api/v1/tills/").json()["count"] == 1


def test_rotate_secret_returns_a_new_secret_and_the_old_stops(till_client, api, acme_admin, store):
    client = api(acme_admin)
    first = client.post("/api/v1/stores/acme-s001/tills/", {"code": "acme-r-1"}, format="json").json()["secret"]
    assert till_client("acme-r-1", first).get("/v2/customers").status_code == 200
    rotated = client.post("/api/v1/tills/acme-r-1/rotate-secret/")
    assert rotated.status_code == 200
    second = rotated.json()["secret"]
    assert second != first and rotated.json()["secret_rotated_at"]
    assert till_client("acme-r-1", first).get("/v2/customers").status_code == 401
    assert till_client("acme-r-1", second).get("/v2/customers").status_code == 200


def test_deactivate_and_activate(make_till, till_client, api, acme_admin, acme, store):
    till = make_till(acme, store, code="acme-d-1")
    client = api(acme_admin)
    assert client.post("/api/v1/tills/acme-d-1/deactivate/").json()["active"] is False
    assert till_client(till.code).get("/v2/customers").status_code == 401
    assert client.post("/api/v1/tills/acme-d-1/activate/").json()["active"] is True
    assert till_client(till.code).get("/v2/customers").status_code == 200


def test_effective_permissions_explain_group_and_why(make_group, make_till, api, acme_admin, acme, store):
    till = make_till(acme, store, code="acme-e-1")
    client = api(acme_admin)
    body = client.get(f"/api/v1/tills/{till.code}/effective-permissions/").json()
    assert body["access_group"]["name"] == "POS" and body["source"] == "org_default"
    assert {"resource": "customer", "api": "data", "read": True, "write": True} in body["permissions"]
    assert "default" in body["why"]
    group = make_group(acme, "Readers", grants={("customer", "data", "read")})
    store_services.stores_allocate(actor=None, org=acme, group=group, store_codes=[store.code])
    body = client.get(f"/api/v1/tills/{till.code}/effective-permissions/").json()
    assert body["access_group"]["name"] == "Readers" and body["source"] == "store"
    assert body["permissions"] == [{"resource": "customer", "api": "data", "read": True, "write": False}]


def test_other_org_and_unprivileged_users(make_till, api, acme, globex_admin, store):
    till = make_till(acme, store, code="acme-iso-1")
    other = api(globex_admin)
    assert_other_org_404(other, f"/api/v1/tills/{till.code}/")
    assert_other_org_404(other, f"/api/v1/tills/{till.code}/rotate-secret/", "post")
    assert_other_org_404(other, f"/api/v1/tills/{till.code}/deactivate/", "post")
    assert_other_org_404(other, f"/api/v1/tills/{till.code}/effective-permissions/")
    assert_other_org_404(other, "/api/v1/stores/acme-s001/tills/", "post", {})
    assert other.get("/api/v1/tills/").json()["count"] == 0
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    assert api(csr).get("/api/v1/tills/").status_code == 403
    assert api(csr).post(f"/api/v1/tills/{till.code}/rotate-secret/").status_code == 403
    assert api(None).get("/api/v1/tills/").status_code == 401


@pytest.mark.parametrize("rows", [1, 40])
def test_till_list_query_counts_are_constant(builtin, make_store, make_till, api, pages, acme, acme_admin, store, rows,
                                             django_assert_num_queries):
    group = builtin(INSTORE)
    other_store = make_store(acme, "acme-s002", group=group)
    for n in range(rows):
        make_till(acme, store if n % 2 else other_store)
    client, page = api(acme_admin), pages(acme_admin)
    with django_assert_num_queries(4):
        assert client.get("/api/v1/tills/").status_code == 200
    with django_assert_num_queries(8):
        assert page.get("/stores/-/tills/").status_code == 200


def test_till_pages_create_show_secret_once_rotate_deactivate(pages, acme, acme_admin, store):
    page = pages(acme_admin)
    assert page.get("/stores/-/tills/new/?store=acme-s001").status_code == 200
    response = page.post("/stores/-/tills/new/", {"store": "acme-s001", "code": "acme-pg-1"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    detail = page.get("/stores/-/tills/acme-pg-1/")
    assert detail.status_code == 200 and secret.encode() not in detail.content
    assert b"What can this till do, and why" in detail.content and b"POS" in detail.content
    assert 'href="/stores/-/tills/acme-pg-1/rotate/"' in detail.content.decode()  # a question first, not a POST
    ask = page.get("/stores/-/tills/acme-pg-1/rotate/").content.decode()
    assert "Rotate the secret of till acme-pg-1?" in ask and "(store acme-s001) stops working at once" in ask
    assert Till.objects.get(code="acme-pg-1").secret_rotated_at is None  # asking changes nothing
    rotated = page.post("/stores/-/tills/acme-pg-1/rotate/")
    assert rotated.status_code == 200 and rotated.context["secret"] != secret
    ask = page.get("/stores/-/tills/acme-pg-1/deactivate/").content.decode()
    assert "Deactivate till acme-pg-1?" in ask and "gets 401 from its next request on" in ask
    assert Till.objects.get(code="acme-pg-1").is_active
    assert page.post("/stores/-/tills/acme-pg-1/deactivate/").status_code == 302
    assert b"Inactive" in page.get("/stores/-/tills/").content
    dup = page.post("/stores/-/tills/new/", {"store": "acme-s001", "code": "acme-pg-1"})
    assert dup.status_code == 200 and b"This code is taken." in dup.content


def test_till_pages_other_org_404(make_till, pages, acme, globex_admin, store):
    make_till(acme, store, code="acme-pg-iso")
    page = pages(globex_admin)
    assert page.get("/stores/-/tills/acme-pg-iso/").status_code == 404
    assert page.post("/stores/-/tills/acme-pg-iso/rotate/").status_code == 404
    assert page.post("/stores/-/tills/acme-pg-iso/deactivate/").status_code == 404
    assert page.get("/stores/-/tills/acme-pg-iso/rotate/").status_code == 404
    assert page.get("/stores/-/tills/acme-pg-iso/deactivate/").status_code == 404
    assert b"acme-pg-iso" not in page.get("/stores/-/tills/").content


def test_store_page_links_to_its_tills(pages, acme_admin, store):
    content = pages(acme_admin).get("/stores/acme-s001/").content
    assert b"/stores/-/tills/?store=acme-s001" in content
    assert b"/stores/-/usage/suggest/acme-s001/" in content
