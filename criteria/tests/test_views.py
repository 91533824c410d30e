"""The pages: same decisions as the API, per-row edit rights, criteria management, explainer, tenancy."""

import re

import pytest

from accessadmin.models import AuditEvent, Role
from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_role, make_user

from ..models import Catalog, PriceGroup, SecurityCriterion
from ..resources import Resource
from .factories import PAGE_PATHS, SCENARIOS, ids_for, make_asset, make_criterion, role_with_criteria, scenario_user

pytestmark = pytest.mark.django_db

MODELS = {Resource.CATALOG: Catalog, Resource.PRICE_GROUP: PriceGroup}
SAMPLE = {s[0]: s for s in SCENARIOS}
PAGE_SAMPLE = [
    (Resource.CATALOG, "update", SAMPLE["privilege_without_criteria"]),
    (Resource.CATALOG, "update", SAMPLE["grant_names_item"]),
    (Resource.CATALOG, "update", SAMPLE["grant_names_another"]),
    (Resource.CATALOG, "delete", SAMPLE["deny_names_item"]),
    (Resource.CATALOG, "delete", SAMPLE["denies_only"]),
    (Resource.CATALOG, "create", SAMPLE["grant_none"]),
    (Resource.CATALOG, "create", SAMPLE["grant_none_plus_grant"]),
    (Resource.PRICE_GROUP, "update", SAMPLE["grant_and_deny_same_item_two_roles"]),
    (Resource.PRICE_GROUP, "update", SAMPLE["grants_from_two_roles"]),
    (Resource.PRICE_GROUP, "delete", SAMPLE["grant_none_plus_grant_of_another"]),
    (Resource.PRICE_GROUP, "create", SAMPLE["criteria_on_the_other_resource_only"]),
    (Resource.PRICE_GROUP, "create", SAMPLE["deny_names_item"]),
]


@pytest.mark.parametrize("resource,action,scenario", PAGE_SAMPLE,
                         ids=[f"{r.name.lower()}-{a}-{s[0]}" for r, a, s in PAGE_SAMPLE])
def test_pages_make_the_same_decisions(acme, pages, resource, action, scenario):
    _, privilege, roles, allowed = scenario
    ids = ids_for(resource)
    model, base, target = MODELS[resource], PAGE_PATHS[resource], ids["T"]
    for token in ("O",) + (() if action == "create" else ("T",)):
        make_asset(acme, resource, ids[token], display_name="Before")
    client = pages(scenario_user(acme, resource, privilege, roles))
    extra = {"currency": "USD"} if resource == Resource.PRICE_GROUP else {}
    if action == "create":
        r = client.post(f"{base}/new/", {"code": target, "display_name": "Created", "active": "on", **extra})
        assert r.status_code == (302 if allowed else 403)
        assert model.objects.filter(org=acme, code=target).exists() is allowed
    elif action == "update":
        page = client.get(f"{base}/{target}/")
        assert page.status_code == 200 and (b'type="submit">Save' in page.content) is allowed
        r = client.post(f"{base}/{target}/", {"display_name": "After", "active": "on", **extra})
        assert r.status_code == (302 if allowed else 403)
        assert model.objects.get(org=acme, code=target).display_name == ("After" if allowed else "Before")
    else:
        r = client.post(f"{base}/{target}/delete/")
        assert r.status_code == (302 if allowed else 403)
        assert model.objects.filter(org=acme, code=target).exists() is not allowed
    if not allowed:
        assert b"May not" in r.content


def test_list_shows_per_row_edit_rights(acme, pages):
    for code in ("HomeGoodsCatalog", "ApparelCatalog", "ElectronicsCatalog"):
        make_asset(acme, Resource.CATALOG, code)
    role = role_with_criteria(acme, [(Resource.CATALOG, "grant", ["HomeGoodsCatalog", "ApparelCatalog"]),
                                     (Resource.CATALOG, "deny", ["ApparelCatalog"])])
    user = make_user(acme, privileges=[Privilege.CATALOG], roles=[role])
    html = pages(user).get("/catalog/catalogs/").content.decode()
    rows = {code: html.split(f">{code}<", 1)[1].split("</tr>", 1)[0]
            for code in ("HomeGoodsCatalog", "ApparelCatalog", "ElectronicsCatalog")}
    assert 'data-editable="yes"' in rows["HomeGoodsCatalog"]
    assert 'data-editable="no"' in rows["ApparelCatalog"] and 'data-editable="no"' in rows["ElectronicsCatalog"]
    assert "HomeGoodsCatalog" in pages(user).get("/catalog/catalogs/?q=home").content.decode()
    assert "ApparelCatalog" not in pages(user).get("/catalog/catalogs/?q=home").content.decode()


def test_read_only_view_and_delete_confirmation(acme, pages):
    make_asset(acme, Resource.CATALOG, "ApparelCatalog", display_name="Apparel")
    role = role_with_criteria(acme, [(Resource.CATALOG, "deny", ["ApparelCatalog"])])
    client = pages(make_user(acme, privileges=[Privilege.CATALOG], roles=[role]))
    r = client.get("/catalog/catalogs/ApparelCatalog/")
    assert b"View catalog ApparelCatalog" in r.content and b"disabled" in r.content and b"Apparel" in r.content
    inputs = re.findall(r"<(?:input|textarea|select)\b[^>]*>", r.content.decode())
    fields = [tag for tag in inputs if 'name="csrfmiddlewaretoken"' not in tag and 'type="search"' not in tag
              and 'name="q"' not in tag]
    assert any('type="checkbox"' in tag for tag in fields)  # the "active" flag is shown…
    assert fields and all(" disabled" in tag for tag in fields), fields  # …but nothing can be changed
    r = client.get("/catalog/catalogs/ApparelCatalog/delete/")
    assert r.status_code == 200 and b"May not delete" in r.content and b'type="submit">Delete' not in r.content


def test_admin_edits_and_deletes_with_history(acme, acme_admin, pages):
    client = pages(acme_admin)
    r = client.post("/catalog/price-groups/new/", {"code": "SalePriceGroup", "display_name": "Sale",
                                                   "currency": "eur", "active": "on"})
    assert r.status_code == 302
    assert PriceGroup.objects.get(org=acme, code="SalePriceGroup").currency == "EUR"
    r = client.post("/catalog/price-groups/new/", {"code": "SalePriceGroup", "display_name": "Again",
                                                   "currency": "USD"})
    assert r.status_code == 200 and b"This id is taken." in r.content
    r = client.post("/catalog/price-groups/SalePriceGroup/", {"display_name": "Sale!", "currency": "usd"},
                    follow=True)
    assert b"Price group SalePriceGroup saved." in r.content
    page = client.get("/catalog/price-groups/SalePriceGroup/")
    assert b"History" in page.content and b"Price list group: update" in page.content
    assert client.post("/catalog/price-groups/SalePriceGroup/delete/").status_code == 302
    assert not PriceGroup.objects.filter(org=acme).exists()


def test_criteria_pages_create_assign_edit_delete(acme, acme_admin, pages):
    make_asset(acme, Resource.CATALOG, "HomeGoodsCatalog")
    role = make_role(acme, code="homeGoods", name="Home goods")
    client = pages(acme_admin)
    page = client.get("/catalog/criteria/new/?resource=ora.catalogAssetResource")
    assert page.status_code == 200 and b"HomeGoodsCatalog" in page.content and b"Home goods" in page.content
    r = client.post("/catalog/criteria/new/?resource=ora.catalogAssetResource", {
        "code": "hg", "name": "Home goods grant", "constraint_type": "grant", "values": ["HomeGoodsCatalog"],
        "other_values": "FutureCatalog", "roles": ["homeGoods"]})
    assert r.status_code == 302
    criterion = SecurityCriterion.objects.get(org=acme, code="hg")
    assert criterion.constraints.get().values == ["HomeGoodsCatalog", "FutureCatalog"]
    assert list(criterion.roles.all()) == [role]
    r = client.post("/catalog/criteria/new/?resource=ora.catalogAssetResource",
                    {"name": "Empty grant", "constraint_type": "grant"})
    assert r.status_code == 200 and b"must name at least one" in r.content

    listing = client.get("/catalog/criteria/").content.decode()
    assert "Home goods grant" in listing and "FutureCatalog" in listing and "homeGoods" in listing
    edit = client.get("/catalog/criteria/hg/")
    assert b"FutureCatalog" in edit.content and b"Not (yet) existing ids" in edit.content

    # Delete while on a role → refused with 22084's message, nothing deleted.
    r = client.post("/catalog/criteria/hg/delete/")
    assert r.status_code == 409 and b"remove it from them first" in r.content
    assert SecurityCriterion.objects.filter(code="hg").exists()
    # Edit: keep the constraint id, change values, take it off the role.
    scc = criterion.constraints.get().public_id
    r = client.post("/catalog/criteria/hg/", {"name": "Home goods only", "values": ["HomeGoodsCatalog"],
                                               "other_values": "", "roles": []}, follow=True)
    assert b"Security criterion hg saved." in r.content
    criterion.refresh_from_db()
    assert criterion.name == "Home goods only" and criterion.roles.count() == 0
    assert criterion.constraints.get().public_id == scc and criterion.constraints.get().values == ["HomeGoodsCatalog"]
    assert client.post("/catalog/criteria/hg/delete/").status_code == 302
    assert not SecurityCriterion.objects.filter(code="hg").exists()
    assert AuditEvent.objects.filter(org=acme, action__startswith="security_criterion.").count() == 3


def test_explainer_page(acme, acme_admin, pages):
    make_asset(acme, Resource.CATALOG, "ApparelCatalog")
    role = role_with_criteria(acme, [(Resource.CATALOG, "grant", ["HomeGoodsCatalog"])])
    carl = make_user(acme, username="carl", privileges=[Privilege.CATALOG], roles=[role])
    other = make_user(acme, username="other", privileges=[Privilege.CATALOG])
    r = pages(acme_admin).get("/catalog/catalogs/ApparelCatalog/explain/?user=carl&action=delete")
    html = r.content.decode()
    assert r.status_code == 200 and "Refused" in html and "ora.catalogPrivilege" in html
    assert "decisive" in html and role.code in html and "none of the grants names it" in html
    mine = pages(carl).get("/catalog/catalogs/ApparelCatalog/explain/").content.decode()
    assert "May carl update catalog" in mine
    assert pages(carl).get("/catalog/catalogs/ApparelCatalog/explain/?user=other").status_code == 403
    assert "Allowed" in pages(other).get("/catalog/catalogs/ApparelCatalog/explain/").content.decode()
    assert pages(acme_admin).get("/catalog/catalogs/ApparelCatalog/explain/?user=ghost").status_code == 404


def test_platform_staff_use_the_pages_as_admins(acme, platform_staff, pages):
    make_asset(acme, Resource.CATALOG, "HomeGoodsCatalog")
    client = pages(platform_staff)
    client.post("/org/switch/", {"org": "acme"})
    assert client.get("/catalog/criteria/").status_code == 200
    assert b"Allowed" in client.get("/catalog/catalogs/HomeGoodsCatalog/explain/").content
    assert client.post("/catalog/catalogs/HomeGoodsCatalog/", {"display_name": "HG", "active": "on"}).status_code == 302


def test_page_access(acme, pages):
    csr = pages(make_user(acme, privileges=[Privilege.CS_AGENT]))
    catalog = pages(make_user(acme, privileges=[Privilege.CATALOG]))
    for url in ("/catalog/catalogs/", "/catalog/price-groups/", "/catalog/catalogs/new/", "/catalog/criteria/"):
        assert csr.get(url).status_code == 403
    assert catalog.get("/catalog/catalogs/").status_code == 200
    for url in ("/catalog/criteria/", "/catalog/criteria/new/"):
        assert catalog.get(url).status_code == 403
    nav = catalog.get("/catalog/catalogs/").content.decode()
    assert "Price groups" in nav and "Security criteria" not in nav.split("<main", 1)[0]


def test_other_orgs_objects_are_404_on_pages(acme, globex_admin, pages):
    make_asset(acme, Resource.CATALOG, "HomeGoodsCatalog")
    make_asset(acme, Resource.PRICE_GROUP, "HomeGoodsPriceGroup")
    make_criterion(acme, Resource.CATALOG, "grant", ["HomeGoodsCatalog"], code="acmeCrit")
    client = pages(globex_admin)
    for url in ("/catalog/catalogs/HomeGoodsCatalog/", "/catalog/catalogs/HomeGoodsCatalog/delete/",
                "/catalog/catalogs/HomeGoodsCatalog/explain/", "/catalog/price-groups/HomeGoodsPriceGroup/",
                "/catalog/criteria/acmeCrit/", "/catalog/criteria/acmeCrit/delete/"):
        assert_other_org_404(client, url)
    assert_other_org_404(client, "/catalog/catalogs/HomeGoodsCatalog/", "post", {"display_name": "x"})
    assert_other_org_404(client, "/catalog/criteria/acmeCrit/delete/", "post", {})
    assert "HomeGoodsCatalog" not in client.get("/catalog/catalogs/").content.decode()
    assert "acmeCrit" not in client.get("/catalog/criteria/").content.decode()
    assert Catalog.objects.get(org=acme).display_name == "HomeGoodsCatalog"
    assert SecurityCriterion.objects.filter(code="acmeCrit").exists()


def test_demo_seed_is_idempotent_and_matches_the_issue(acme, globex):
    from accessadmin.models import User

    from ..demo import seed

    make_user(acme, username="acme-admin", privileges=[Privilege.ADMIN])
    carl = make_user(acme, username="acme-catalog", privileges=[Privilege.CATALOG])
    seed(orgs={"acme": acme, "globex": globex})
    seed(orgs={"acme": acme, "globex": globex})
    assert sorted(Catalog.objects.filter(org=acme).values_list("code", flat=True)) == [
        "ApparelCatalog", "ElectronicsCatalog", "HomeGoodsCatalog"]
    assert sorted(PriceGroup.objects.filter(org=acme).values_list("code", flat=True)) == [
        "DefaultPriceGroup", "HomeGoodsPriceGroup", "SalePriceGroup"]
    assert sorted(SecurityCriterion.objects.filter(org=acme).values_list("code", flat=True)) == [
        "homeGoodsCatalogGrant", "homeGoodsPriceGroupGrant"]
    carl = User.objects.get(pk=carl.pk)
    roles = {r.code: [c.code for c in r.security_criteria.all()] for r in carl.roles.all()}
    assert roles["catalogRole"] == [] and roles["homeGoodsCatalogEditor"] == ["homeGoodsCatalogGrant"]
    assert Role.objects.get(org=acme, code="catalogRole").access_rights.get().code == Privilege.CATALOG


def test_criterion_page_refuses_values_on_a_grant_none(acme, acme_admin, pages):
    make_asset(acme, Resource.CATALOG, "HomeGoodsCatalog")
    client = pages(acme_admin)
    r = client.post("/catalog/criteria/new/?resource=ora.catalogAssetResource", {
        "code": "none", "name": "Nothing", "constraint_type": "grantNone", "values": ["HomeGoodsCatalog"]})
    assert r.status_code == 200 and b"it takes no constraints.values" in r.content
    assert not SecurityCriterion.objects.filter(org=acme, code="none").exists()
    r = client.post("/catalog/criteria/new/?resource=ora.catalogAssetResource", {
        "code": "none", "name": "Nothing", "constraint_type": "grantNone"})
    assert r.status_code == 302 and SecurityCriterion.objects.get(org=acme, code="none").constraint_type == "grantNone"
