"""What the apps register reaches the core's pages: the navigation and dashboard exactly as before the
registries, URLs an app adds to another app's namespace, and every search provider."""

import pytest
from django.urls import reverse

from accessadmin import registry
from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from shopperdata import services as shopper_services

pytestmark = pytest.mark.django_db

EVERY_SECTION = [
    ("Access control", ["Access groups", "Default group", "Stores", "Tills", "API clients", "Usage log",
                        "Enforcement", "Rollout"]),
    ("Shopper data", ["Shopper profiles", "Property access rules", "Deletion requests", "Deletion approvals",
                      "Bulk deletion requests", "Privacy settings"]),
    ("Member care", ["User groups", "Group loyalty program"]),
    ("Catalog", ["Catalogs", "Price groups", "Security criteria"]),
    ("Connect+", ["Dataflows", "SFTP connections", "PGP keys"]),
    ("Administration", ["Users", "Roles", "Access rights", "Audit log"]),
]


def _menu(response) -> list:
    return [(s["title"], [link["label"] for link in s["links"]]) for s in response.context["nav_sections"]]


def test_an_administrator_sees_every_section_in_order(acme_admin, pages):
    response = pages(acme_admin).get("/")
    assert response.status_code == 200
    assert _menu(response) == EVERY_SECTION
    assert [label for label, _count, _url in response.context["counts"]] == [
        "Users", "Roles", "Access groups", "Stores", "Active tills", "Shopper profiles", "Catalogs", "Price groups",
        "Security criteria"]


def test_each_privilege_sees_its_own_sections(acme, csr, pages):
    assert _menu(pages(csr).get("/")) == [("Shopper data", ["Shopper profiles"]),
                                          ("Member care", ["User groups", "Group loyalty program"])]
    access = make_user(acme, username="acme-access", privileges=[Privilege.ACCESS_CONTROL])
    assert _menu(pages(access).get("/")) == [EVERY_SECTION[0], ("Administration", ["Audit log"])]


def _tiles(response) -> list:
    return [(label, count) for label, count, _url in response.context["counts"]]


def test_dashboard_tiles_only_for_pages_the_viewer_may_open_with_what_they_may_see(acme, csr, pages, make_stores,
                                                                                 make_customer):
    from guardian.shortcuts import assign_perm

    stores = make_stores(acme, 3)
    make_customer(acme, email="one@example.com")
    assert _tiles(pages(csr).get("/")) == [("Shopper profiles", 1)]
    manager = make_user(acme, username="acme-mgr")
    assign_perm("stores.manage_store", manager, stores[0])
    response = pages(manager).get("/")
    assert _tiles(response) == [("Stores", 1)]  # their one store, not the org's three
    assert pages(manager).get(reverse(response.context["counts"][0][2])).status_code == 200
    access = make_user(acme, username="acme-access", privileges=[Privilege.ACCESS_CONTROL])
    assert [label for label, _ in _tiles(pages(access).get("/"))] == ["Access groups", "Stores", "Active tills"]
    nobody = make_user(acme, username="acme-nobody")
    assert _tiles(pages(nobody).get("/")) == []


def test_every_tile_opens_for_its_viewer(acme, csr, acme_admin, pages):
    for user in (csr, acme_admin):
        client = pages(user)
        for _label, _count, url_name in client.get("/").context["counts"]:
            assert client.get(reverse(url_name)).status_code == 200, (user, url_name)


def test_pages_an_app_adds_to_another_apps_namespace():
    assert reverse("stores:usage") == "/stores/-/usage/"  # enforcement's page among the store pages
    assert reverse("stores:list") == "/stores/"
    assert reverse("groups:allocate", args=[3]) == "/groups/3/allocate/"  # stores' action on a group's page
    assert reverse("groups:detail", args=[3]) == "/groups/3/"
    assert reverse("authz-check") == "/authz/check"


def _hits(actor, org, query) -> dict:
    return {provider.kind: [(h.label, h.url, h.detail) for h in hits]
            for provider, hits in registry.search(actor=actor, org=org, query=query)}


def test_every_provider_finds_what_the_actor_may_see_of_the_org(acme, globex, acme_admin, csr, make_group, make_stores,
                                                                make_till, make_customer):
    group = make_group(acme, "Kiosk north")
    store = make_stores(acme, 2)[0]
    till = make_till(acme, store, code="acme-s001-t1")
    customer = make_customer(acme, email="north@example.com")
    shopper_services.profile_update(actor=None, profile=customer, values={"lastName": "Northman"})
    make_group(globex, "Kiosk north globex")
    make_stores(globex, 1)
    assert _hits(acme_admin, acme, "north") == {
        "access_group": [("Kiosk north", f"/groups/{group.pk}/", "custom")],
        "customer": [("Sam Northman", f"/shoppers/{customer.pk}/", f"north@example.com · {customer.mobile}")],
    }
    assert _hits(acme_admin, acme, "s001") == {
        "store": [("acme-s001 · Store 1", "/stores/acme-s001/", "Oslo")],
        "till": [(till.code, f"/stores/-/tills/{till.code}/", "acme-s001")],
    }
    assert _hits(csr, acme, "north") == {"customer": _hits(acme_admin, acme, "north")["customer"]}
    assert _hits(csr, acme, "s001") == {}


def test_customers_are_searched_and_shown_masked(acme, acme_admin, csr, make_customer):
    shopper_services.shopper_type_update(actor=None, org=acme, properties={
        "lastName": {"readRole": "adminRole", "securityMaskingValue": "XXXXX"}})
    customer = make_customer(acme, email="masked@example.com")
    shopper_services.profile_update(actor=None, profile=customer, values={"lastName": "Hidden"})
    assert _hits(csr, acme, "Hidden") == {}  # a property the CSR may not read is not searched
    assert _hits(csr, acme, "masked@") == {
        "customer": [("Sam XXXXX", f"/shoppers/{customer.pk}/", f"masked@example.com · {customer.mobile}")]}
    assert _hits(acme_admin, acme, "Hidden")["customer"][0][0] == "Sam Hidden"
