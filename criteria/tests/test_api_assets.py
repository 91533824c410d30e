"""Catalogs and price groups through /ccadmin/v1, with the full decision matrix."""

import pytest

from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user

from ..models import Catalog, PriceGroup
from ..resources import Resource
from .factories import API_PATHS, SCENARIOS, ids_for, make_asset, scenario_user

pytestmark = pytest.mark.django_db

MODELS = {Resource.CATALOG: Catalog, Resource.PRICE_GROUP: PriceGroup}


@pytest.mark.parametrize("resource", list(Resource))
@pytest.mark.parametrize("action", ["create", "update", "delete"])
@pytest.mark.parametrize("name,privilege,roles,allowed", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_decision_matrix_through_the_api(acme, api, resource, action, name, privilege, roles, allowed):
    ids = ids_for(resource)
    model, base, target = MODELS[resource], API_PATHS[resource], ids["T"]
    for token in ("O", "P") + (() if action == "create" else ("T",)):
        make_asset(acme, resource, ids[token], display_name="Before")
    client = api(scenario_user(acme, resource, privilege, roles))
    events = AuditEvent.objects.count()

    if action == "create":
        r = client.post(base, {"id": target, "displayName": "Created"}, format="json")
        assert r.status_code == (201 if allowed else 403), r.content
        assert model.objects.filter(org=acme, code=target).exists() is allowed
    elif action == "update":
        r = client.put(f"{base}/{target}", {"displayName": "After"}, format="json")
        assert r.status_code == (200 if allowed else 403), r.content
        assert model.objects.get(org=acme, code=target).display_name == ("After" if allowed else "Before")
    else:
        r = client.delete(f"{base}/{target}")
        assert r.status_code == (204 if allowed else 403), r.content
        assert model.objects.filter(org=acme, code=target).exists() is not allowed

    if not allowed:
        body = r.json()
        assert set(body) >= {"errorCode", "message", "status"} and body["status"] == "403"
        assert body["errorCode"] == ("permission_denied" if privilege is None else "security_criteria_denied")
        assert AuditEvent.objects.count() == events  # changed nothing
    else:
        assert AuditEvent.objects.count() == events + 1


def test_acme_catalog_user_updates_only_home_goods_but_reads_both(acme, api):
    from ..demo import seed

    make_user(acme, username="acme-admin", privileges=[Privilege.ADMIN])
    catalog_user = make_user(acme, username="acme-catalog", privileges=[Privilege.CATALOG])
    seed(orgs={"acme": acme})
    client = api(catalog_user)
    r = client.put("/ccadmin/v1/catalogs/HomeGoodsCatalog", {"displayName": "Home & Garden"}, format="json")
    assert r.status_code == 200 and r.json()["displayName"] == "Home & Garden"
    r = client.put("/ccadmin/v1/catalogs/ApparelCatalog", {"displayName": "Clothes"}, format="json")
    assert r.status_code == 403 and r.json()["errorCode"] == "security_criteria_denied"
    assert "homeGoodsCatalogGrant" in r.json()["message"]
    assert Catalog.objects.get(org=acme, code="ApparelCatalog").display_name == "Apparel"
    for code in ("HomeGoodsCatalog", "ApparelCatalog"):
        assert client.get(f"/ccadmin/v1/catalogs/{code}").status_code == 200
    listing = client.get("/ccadmin/v1/catalogs").json()
    assert {i["id"]: i["allowedActions"] for i in listing["items"]} == {
        "ApparelCatalog": [], "ElectronicsCatalog": [], "HomeGoodsCatalog": ["update", "delete"]}
    # No criterion on price groups reaches acme-catalog: every price group may be changed.
    assert client.put("/ccadmin/v1/priceListGroups/SalePriceGroup", {"currency": "eur"},
                      format="json").json()["currency"] == "EUR"


def test_catalog_and_price_group_crud_and_list_shape(acme_admin, api):
    client = api(acme_admin)
    r = client.post("/ccadmin/v1/priceListGroups", {"id": "EuroGroup", "displayName": "Euro", "currency": "EUR",
                                                     "description": "d", "active": False}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json() | {"lastModified": None} == {
        "id": "EuroGroup", "repositoryId": "EuroGroup", "displayName": "Euro", "description": "d", "active": False,
        "currency": "EUR", "lastModified": None, "allowedActions": ["update", "delete"]}
    for i in range(3):
        client.post("/ccadmin/v1/catalogs", {"id": f"C{i}", "displayName": f"Catalog {i}"}, format="json")
    listing = client.get("/ccadmin/v1/catalogs").json()
    assert set(listing) == {"items", "total", "totalResults", "offset", "limit", "sort", "links"}
    assert listing["limit"] == 250 and listing["total"] == listing["totalResults"] == 3
    page = client.get("/ccadmin/v1/catalogs?offset=1&limit=1").json()
    assert [i["id"] for i in page["items"]] == ["C1"] and page["offset"] == 1 and page["limit"] == 1
    assert [i["id"] for i in client.get("/ccadmin/v1/catalogs?q=catalog 2").json()["items"]] == ["C2"]
    assert client.delete("/ccadmin/v1/catalogs/C0").status_code == 204
    assert client.get("/ccadmin/v1/catalogs/C0").status_code == 404


@pytest.mark.parametrize("path,body,status,code", [
    ("/ccadmin/v1/catalogs", {"displayName": "No id"}, 400, "invalid_id"),
    ("/ccadmin/v1/catalogs", {"id": "bad id!", "displayName": "x"}, 400, "invalid_id"),
    ("/ccadmin/v1/catalogs", {"id": "NoName"}, 400, "invalid"),
    ("/ccadmin/v1/catalogs", {"id": "Dup", "displayName": "again"}, 409, "duplicate_id"),
    ("/ccadmin/v1/priceListGroups", {"id": "P", "displayName": "x", "currency": "dollars"}, 400, "invalid"),
])
def test_asset_input_errors_change_nothing(acme, acme_admin, api, path, body, status, code):
    make_asset(acme, Resource.CATALOG, "Dup")
    before = Catalog.objects.count() + PriceGroup.objects.count()
    r = api(acme_admin).post(path, body, format="json")
    assert r.status_code == status and r.json()["errorCode"] == code
    assert Catalog.objects.count() + PriceGroup.objects.count() == before


def test_reads_need_a_privilege(acme, api):
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    make_asset(acme, Resource.CATALOG, "HomeGoodsCatalog")
    r = api(csr).get("/ccadmin/v1/catalogs/HomeGoodsCatalog")
    assert r.status_code == 403 and r.json()["errorCode"] == "permission_denied"
    assert api(csr).get("/ccadmin/v1/priceListGroups").status_code == 403


def test_other_orgs_catalogs_are_404(acme, globex_admin, api):
    make_asset(acme, Resource.CATALOG, "HomeGoodsCatalog")
    make_asset(acme, Resource.PRICE_GROUP, "HomeGoodsPriceGroup")
    client = api(globex_admin)
    for path in ("/ccadmin/v1/catalogs/HomeGoodsCatalog", "/ccadmin/v1/priceListGroups/HomeGoodsPriceGroup"):
        assert_other_org_404(client, path)
        assert_other_org_404(client, path, "put", {"displayName": "Mine"}, format="json")
        assert_other_org_404(client, path, "delete")
        assert_other_org_404(client, f"{path}/explain")
    assert client.get("/ccadmin/v1/catalogs").json()["total"] == 0
    # globex may create its own catalog with the same id: ids are per org.
    assert client.post("/ccadmin/v1/catalogs", {"id": "HomeGoodsCatalog", "displayName": "G"},
                       format="json").status_code == 201
    assert Catalog.objects.get(org=acme, code="HomeGoodsCatalog").display_name == "HomeGoodsCatalog"


def test_explain_api(acme, acme_admin, api):
    make_asset(acme, Resource.CATALOG, "HomeGoodsCatalog")
    make_asset(acme, Resource.CATALOG, "ApparelCatalog")
    user = scenario_user(acme, Resource.CATALOG, Privilege.CATALOG, [[("grant", "T")], [("deny", "O")]])
    other = make_user(acme, privileges=[Privilege.CATALOG])
    ids = ids_for(Resource.CATALOG)
    make_asset(acme, Resource.CATALOG, ids["T"])
    r = api(acme_admin).get(f"/ccadmin/v1/catalogs/{ids['T']}/explain?user={user.username}&action=delete")
    body = r.json()
    assert r.status_code == 200 and body["allowed"] is True and body["decidedBy"] == "grant"
    assert body["user"] == user.username and body["action"] == "delete"
    assert body["privilege"]["held"] == "ora.catalogPrivilege"
    assert [(c["constraintType"], c["namesItem"], c["decisive"]) for c in body["criteria"]] == [
        ("grant", True, True), ("deny", False, False)]
    assert body["decisive"][0]["criterion"]["id"] == body["criteria"][0]["criterion"]["id"]
    # A user asks about themselves; not about somebody else.
    mine = api(user).get("/ccadmin/v1/catalogs/ApparelCatalog/explain").json()
    assert mine["allowed"] is False and mine["decidedBy"] == "not_granted" and mine["user"] == user.username
    assert api(user).get(f"/ccadmin/v1/catalogs/ApparelCatalog/explain?user={other.username}").status_code == 403
    assert api(acme_admin).get("/ccadmin/v1/catalogs/ApparelCatalog/explain?user=ghost").status_code == 404
    # Creating an id that does not exist yet can be explained; other actions need the item.
    r = api(user).get("/ccadmin/v1/catalogs/NotYet/explain?action=create").json()
    assert r["item"] == {"id": "NotYet", "exists": False} and r["allowed"] is False
    assert api(user).get("/ccadmin/v1/catalogs/NotYet/explain").status_code == 404
    assert api(user).get("/ccadmin/v1/catalogs/ApparelCatalog/explain?action=read").status_code == 400
    assert api(acme_admin).get("/ccadmin/v1/priceListGroups/Nope/explain?action=create").json()["allowed"]


def test_explain_a_user_without_privilege(acme, acme_admin, api):
    make_asset(acme, Resource.PRICE_GROUP, "SalePriceGroup")
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    body = api(acme_admin).get(f"/ccadmin/v1/priceListGroups/SalePriceGroup/explain?user={csr.username}").json()
    assert body["allowed"] is False and body["decidedBy"] == "no_privilege" and body["privilege"]["held"] is None
