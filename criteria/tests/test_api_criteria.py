"""Security criteria and their resources through /ccadmin/v1, as the commerce documentation shows them."""

import re

import pytest

from accessadmin.models import AuditEvent, Role
from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user

from ..models import SecurityCriterion
from ..resources import Resource
from .factories import make_criterion

pytestmark = pytest.mark.django_db

# The two example requests of the documentation, exactly as written there.
CATALOG_EXAMPLE = {
    "id": "securityCriterionHomeGoodsCatalog",
    "name": "Security Criterion for HomeGoodsCatalog",
    "description": "Grants access to catalog assets of the HomeGoodsCatalog",
    "securityCriteriaResource": {"id": "ora.catalogAssetResource"},
    "actions": ["create", "update", "delete"],
    "constraintType": "grant",
    "constraints": [{"constraintConfig": {"id": "ora.catalogConstraintConfiguration"},
                     "values": ["HomeGoodsCatalog"]}],
}
PRICE_GROUP_EXAMPLE = {
    "id": "securityCriterionHomeGoodsPriceGroup",
    "name": "Security Criterion for HomeGoodsPriceGroup",
    "description": "Grants access to HomeGoodsPriceGroup",
    "securityCriteriaResource": {"id": "ora.pLGAssetResource"},
    "actions": ["create", "update", "delete"],
    "constraintType": "grant",
    "constraints": [{"constraintConfig": {"id": "ora.pLGConstraintConfiguration"},
                     "values": ["HomeGoodsPriceGroup"]}],
}
DOC_KEYS = {"constraintType", "roles", "name", "description", "links", "securityCriteriaResource", "lastModified",
            "id", "constraints", "actions"}


@pytest.mark.parametrize("example,resource_name,config", [
    (CATALOG_EXAMPLE, "Catalog Assets", "ora.catalogConstraintConfiguration"),
    (PRICE_GROUP_EXAMPLE, "Price Groups", "ora.pLGConstraintConfiguration"),
])
def test_documented_example_requests_get_the_documented_response(acme_admin, api, example, resource_name, config):
    r = api(acme_admin).post("/ccadmin/v1/adminSecurityCriteria", example, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert DOC_KEYS <= set(body)
    assert body["id"] == example["id"] and body["name"] == example["name"]
    assert body["description"] == example["description"] and body["constraintType"] == "grant"
    assert body["roles"] == []
    assert body["links"] == [{"rel": "self", "href": "http://testserver/ccadmin/v1/adminSecurityCriteria"}]
    assert body["securityCriteriaResource"] == {"name": resource_name,
                                                "id": example["securityCriteriaResource"]["id"]}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["lastModified"])
    [constraint] = body["constraints"]
    assert constraint["values"] == example["constraints"][0]["values"]
    assert constraint["constraintConfig"] == {"id": config}
    assert re.fullmatch(r"scc-1\d{5,}", constraint["id"])
    assert sorted(body["actions"]) == ["create", "delete", "update"]


def test_actions_may_be_omitted_and_constraint_ids_are_distinct(acme_admin, api):
    client = api(acme_admin)
    first = client.post("/ccadmin/v1/adminSecurityCriteria", CATALOG_EXAMPLE, format="json").json()
    second = {k: v for k, v in PRICE_GROUP_EXAMPLE.items() if k != "actions"}
    second = client.post("/ccadmin/v1/adminSecurityCriteria", second, format="json").json()
    assert second["actions"] == ["create", "update", "delete"]
    assert first["constraints"][0]["id"] != second["constraints"][0]["id"]


def test_resources_endpoint_matches_the_documentation(acme_admin, api):
    body = api(acme_admin).get("/ccadmin/v1/adminSecurityCriteriaResources").json()
    assert body == {
        "total": 2, "totalResults": 2, "offset": 0, "limit": 250,
        "links": [{"rel": "self", "href": "http://testserver/ccadmin/v1/adminSecurityCriteriaResources"}],
        "sort": [{"property": "id", "order": "asc"}],
        "items": [
            {"constraintConfigurations": [{
                "constrainingAssetType": "catalog", "displayName": "Catalogs",
                "constrainingAssetDisplayNameProperty": "displayName", "id": "ora.catalogConstraintConfiguration",
                "constrainingAssetGroup": "/atg/commerce/catalog/ProductCatalog/"}],
             "name": "Catalog Assets", "id": "ora.catalogAssetResource"},
            {"constraintConfigurations": [{
                "constrainingAssetType": "priceListGroup", "displayName": "Price Groups",
                "constrainingAssetDisplayNameProperty": "displayName", "id": "ora.pLGConstraintConfiguration",
                "constrainingAssetGroup": "/atg/commerce/pricing/priceLists/PriceLists/"}],
             "name": "Price Groups", "id": "ora.pLGAssetResource"},
        ],
    }


def test_list_get_put_and_paging(acme_admin, api):
    client = api(acme_admin)
    client.post("/ccadmin/v1/adminSecurityCriteria", CATALOG_EXAMPLE, format="json")
    client.post("/ccadmin/v1/adminSecurityCriteria", PRICE_GROUP_EXAMPLE, format="json")
    for i in range(3):
        client.post("/ccadmin/v1/adminSecurityCriteria", {
            "name": f"Deny {i}", "securityCriteriaResource": {"id": "ora.catalogAssetResource"},
            "constraintType": "deny", "constraints": [{"values": [f"C{i}"]}]}, format="json")
    listing = client.get("/ccadmin/v1/adminSecurityCriteria").json()
    assert set(listing) == {"items", "total", "totalResults", "offset", "limit", "sort", "links"}
    assert listing["limit"] == 250 and listing["total"] == listing["totalResults"] == 5
    assert all(DOC_KEYS <= set(i) for i in listing["items"])
    page = client.get("/ccadmin/v1/adminSecurityCriteria?offset=2&limit=2").json()
    assert len(page["items"]) == 2 and page["offset"] == 2 and page["limit"] == 2 and page["total"] == 5
    assert client.get("/ccadmin/v1/adminSecurityCriteria?resource=ora.pLGAssetResource").json()["total"] == 1
    assert client.get("/ccadmin/v1/adminSecurityCriteria?limit=0").json()["errorCode"] == "invalid_paging"

    url = "/ccadmin/v1/adminSecurityCriteria/securityCriterionHomeGoodsCatalog"
    got = client.get(url).json()
    scc = got["constraints"][0]["id"]
    r = client.put(url, {"name": "Home goods only", "description": "new",
                         "constraints": [{"id": scc, "values": ["HomeGoodsCatalog", "KitchenCatalog"]}]},
                   format="json")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["name"] == "Home goods only" and body["description"] == "new"
    assert body["constraints"] == [{"values": ["HomeGoodsCatalog", "KitchenCatalog"],
                                    "constraintConfig": {"id": "ora.catalogConstraintConfiguration"}, "id": scc}]
    # Echoing what was read back is accepted (type and resource unchanged).
    assert client.put(url, got, format="json").status_code == 200
    r = client.put(url, {"constraints": [{"values": ["Other"]}]}, format="json").json()
    assert r["constraints"][0]["id"] != scc and r["constraints"][0]["values"] == ["Other"]


@pytest.mark.parametrize("change", [
    {"name": ""},
    {"name": None},
    {"securityCriteriaResource": None},
    {"securityCriteriaResource": {"id": "ora.productResource"}},
    {"actions": ["update"]},
    {"actions": ["create", "update", "delete", "read"]},
    {"constraintType": "allow"},
    {"constraintType": None},
    {"constraints": [{"constraintConfig": {"id": "ora.pLGConstraintConfiguration"}, "values": ["X"]}]},
    {"constraints": [{"values": []}]},
    {"constraints": [{"values": ["not an id!"]}]},
    {"constraints": "HomeGoodsCatalog"},
    {"id": "has spaces"},
    {"roles": ["noSuchRole"]},
])
def test_invalid_input_is_22064_and_changes_nothing(acme_admin, api, change):
    body = {k: v for k, v in {**CATALOG_EXAMPLE, **change}.items() if v is not None}
    r = api(acme_admin).post("/ccadmin/v1/adminSecurityCriteria", body, format="json")
    assert r.status_code == 400, r.json()
    assert r.json()["errorCode"] == "22064" and r.json()["status"] == "400" and r.json()["message"]
    assert not SecurityCriterion.objects.exists()


def test_invalid_json_and_invalid_updates_are_22064(acme, acme_admin, api):
    client = api(acme_admin)
    r = client.post("/ccadmin/v1/adminSecurityCriteria", "{not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["errorCode"] == "22064"
    make_criterion(acme, Resource.CATALOG, "grant", ["A"], code="g1")
    url = "/ccadmin/v1/adminSecurityCriteria/g1"
    for body in ({"constraintType": "deny"}, {"securityCriteriaResource": {"id": "ora.pLGAssetResource"}},
                 {"constraints": [{"id": "scc-999999999", "values": ["A"]}]}, {"name": ""}):
        r = client.put(url, body, format="json")
        assert r.status_code == 400 and r.json()["errorCode"] == "22064", body
    criterion = SecurityCriterion.objects.get(code="g1")
    assert criterion.constraint_type == "grant" and criterion.constraints.get().values == ["A"]


def test_ids_are_the_key_and_names_are_labels(acme_admin, api):
    client = api(acme_admin)
    client.post("/ccadmin/v1/adminSecurityCriteria", CATALOG_EXAMPLE, format="json")
    r = client.post("/ccadmin/v1/adminSecurityCriteria", CATALOG_EXAMPLE, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == "duplicate_id"
    for other in ("other", "another"):
        r = client.post("/ccadmin/v1/adminSecurityCriteria", {**CATALOG_EXAMPLE, "id": other,
                                                               "name": CATALOG_EXAMPLE["name"].upper()}, format="json")
        assert r.status_code == 201, r.json()
    r = client.put("/ccadmin/v1/adminSecurityCriteria/other", {"name": CATALOG_EXAMPLE["name"]}, format="json")
    assert r.status_code == 200 and r.json()["name"] == CATALOG_EXAMPLE["name"]
    names = [c["name"].lower() for c in client.get("/ccadmin/v1/adminSecurityCriteria").json()["items"]]
    assert names == [CATALOG_EXAMPLE["name"].lower()] * 3


@pytest.mark.parametrize("example", [CATALOG_EXAMPLE, PRICE_GROUP_EXAMPLE])
def test_the_documented_examples_pass_on_the_demo_data(acme, acme_admin, api, example):
    from ..demo import seed

    make_user(acme, username="acme-catalog", privileges=[Privilege.CATALOG])
    seed(orgs={"acme": acme})
    demo_names = set(SecurityCriterion.objects.filter(org=acme).values_list("name", flat=True))
    assert example["name"] in demo_names  # the demo already holds a criterion of that name
    r = api(acme_admin).post("/ccadmin/v1/adminSecurityCriteria", example, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["id"] == example["id"] and r.json()["name"] == example["name"]
    assert SecurityCriterion.objects.filter(org=acme, name=example["name"]).count() == 2


@pytest.mark.parametrize("constraints", [
    [{"values": ["HomeGoodsCatalog"]}],
    [{"constraintConfig": {"id": "ora.catalogConstraintConfiguration"}, "values": ["A", "B"]}],
    [{"values": []}, {"values": ["A"]}],
])
def test_a_grant_none_criterion_takes_no_values(acme, acme_admin, api, constraints):
    client = api(acme_admin)
    r = client.post("/ccadmin/v1/adminSecurityCriteria", {
        "id": "noneAtAll", "name": "Nothing", "securityCriteriaResource": {"id": "ora.catalogAssetResource"},
        "constraintType": "grantNone", "constraints": constraints}, format="json")
    assert r.status_code == 400, r.json()
    assert r.json()["errorCode"] == "22064" and "constraints" in r.json()["fields"]
    assert not SecurityCriterion.objects.filter(code="noneAtAll").exists()
    make_criterion(acme, Resource.CATALOG, "grantNone", code="none")
    before = AuditEvent.objects.count()
    r = client.put("/ccadmin/v1/adminSecurityCriteria/none", {"constraints": constraints}, format="json")
    assert r.status_code == 400 and r.json()["errorCode"] == "22064"
    assert not SecurityCriterion.objects.get(code="none").constraints.exclude(values=[]).exists()
    assert AuditEvent.objects.count() == before


def test_a_grant_none_criterion_without_values_is_created(acme_admin, api):
    for body in ({}, {"constraints": []}, {"constraints": [{"values": []}]}):
        code = f"none{len(body)}{len(body.get('constraints', [])) if body else 0}"
        r = api(acme_admin).post("/ccadmin/v1/adminSecurityCriteria", {
            "id": code, "name": "Nothing", "securityCriteriaResource": {"id": "ora.catalogAssetResource"},
            "constraintType": "grantNone", **body}, format="json")
        assert r.status_code == 201, r.json()
        assert all(not c["values"] for c in r.json()["constraints"])


def test_roles_take_criteria_and_delete_in_use_is_22084(acme, acme_admin, api):
    client = api(acme_admin)
    client.post("/ccadmin/v1/adminSecurityCriteria", CATALOG_EXAMPLE, format="json")
    client.post("/ccadmin/v1/adminSecurityCriteria", PRICE_GROUP_EXAMPLE, format="json")
    r = client.post("/ccadmin/v1/adminRoles", {"id": "homeGoods", "name": "Home goods",
                                               "accessRights": ["ora.catalogPrivilege"],
                                               "securityCriteria": [{"id": "securityCriterionHomeGoodsCatalog"}]},
                    format="json")
    assert r.status_code == 201, r.json()
    assert [c["id"] for c in r.json()["securityCriteria"]] == ["securityCriterionHomeGoodsCatalog"]
    r = client.put("/ccadmin/v1/adminRoles/homeGoods",
                   {"securityCriteria": ["securityCriterionHomeGoodsCatalog", "securityCriterionHomeGoodsPriceGroup"]},
                   format="json")
    assert [c["id"] for c in r.json()["securityCriteria"]] == [
        "securityCriterionHomeGoodsCatalog", "securityCriterionHomeGoodsPriceGroup"]
    got = client.get("/ccadmin/v1/adminSecurityCriteria/securityCriterionHomeGoodsCatalog").json()
    assert got["roles"] == [{"id": "homeGoods", "repositoryId": "homeGoods", "name": "Home goods"}]
    listing = client.get("/ccadmin/v1/adminRoles").json()
    assert {i["id"]: len(i["securityCriteria"]) for i in listing["items"]}["homeGoods"] == 2

    r = client.delete("/ccadmin/v1/adminSecurityCriteria/securityCriterionHomeGoodsCatalog")
    assert r.status_code == 409 and r.json()["errorCode"] == "22084" and "homeGoods" in r.json()["message"]
    assert SecurityCriterion.objects.filter(code="securityCriterionHomeGoodsCatalog").exists()

    # Unknown criterion on a role: nothing changes; on a new role: no role is left behind.
    r = client.put("/ccadmin/v1/adminRoles/homeGoods", {"name": "Renamed", "securityCriteria": ["ghost"]},
                   format="json")
    assert r.status_code == 400 and r.json()["errorCode"] == "unknown_security_criterion"
    assert Role.objects.get(org=acme, code="homeGoods").name == "Home goods"
    r = client.post("/ccadmin/v1/adminRoles", {"id": "x", "name": "X", "securityCriteria": ["ghost"]}, format="json")
    assert r.status_code == 400 and not Role.objects.filter(code="x").exists()

    client.put("/ccadmin/v1/adminRoles/homeGoods", {"securityCriteria": []}, format="json")
    assert client.delete("/ccadmin/v1/adminSecurityCriteria/securityCriterionHomeGoodsCatalog").status_code == 204
    assert client.get("/ccadmin/v1/adminSecurityCriteria/securityCriterionHomeGoodsCatalog").status_code == 404


def test_role_changes_apply_on_the_next_request(acme, acme_admin, api):
    from .factories import make_asset

    make_asset(acme, Resource.CATALOG, "A")
    user = make_user(acme, privileges=[Privilege.CATALOG])
    user_client = api(user)
    assert user_client.put("/ccadmin/v1/catalogs/A", {"displayName": "1"}, format="json").status_code == 200
    make_criterion(acme, Resource.CATALOG, "grantNone", code="none")
    api(acme_admin).put("/ccadmin/v1/adminRoles/catalogRole", {"securityCriteria": ["none"]}, format="json")
    assert user_client.put("/ccadmin/v1/catalogs/A", {"displayName": "2"}, format="json").status_code == 403


def test_criteria_endpoints_are_for_administrators(acme, api):
    catalog_user = make_user(acme, privileges=[Privilege.CATALOG])
    client = api(catalog_user)
    for path in ("/ccadmin/v1/adminSecurityCriteria", "/ccadmin/v1/adminSecurityCriteriaResources"):
        r = client.get(path)
        assert r.status_code == 403 and r.json()["errorCode"] == "permission_denied"
    assert client.post("/ccadmin/v1/adminSecurityCriteria", CATALOG_EXAMPLE, format="json").status_code == 403
    assert not SecurityCriterion.objects.exists()
    assert api(None).get("/ccadmin/v1/adminSecurityCriteria").status_code == 401


def test_other_orgs_criteria_are_404(acme, acme_admin, globex_admin, api):
    api(acme_admin).post("/ccadmin/v1/adminSecurityCriteria", CATALOG_EXAMPLE, format="json")
    client = api(globex_admin)
    url = "/ccadmin/v1/adminSecurityCriteria/securityCriterionHomeGoodsCatalog"
    assert_other_org_404(client, url)
    assert_other_org_404(client, url, "put", {"name": "Mine"}, format="json")
    assert_other_org_404(client, url, "delete")
    assert client.get("/ccadmin/v1/adminSecurityCriteria").json()["total"] == 0
    r = client.put("/ccadmin/v1/adminRoles/catalogRole", {"securityCriteria": ["securityCriterionHomeGoodsCatalog"]},
                   format="json")
    assert r.status_code == 400 and r.json()["errorCode"] == "unknown_security_criterion"
    # globex may use the same criterion id for its own.
    assert client.post("/ccadmin/v1/adminSecurityCriteria", CATALOG_EXAMPLE, format="json").status_code == 201
    assert SecurityCriterion.objects.get(org=acme).name == CATALOG_EXAMPLE["name"]
