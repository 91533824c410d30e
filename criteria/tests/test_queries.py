"""Query counts of the list pages and list endpoints are pinned for 1 row and for 100."""

import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_role, make_user

from ..resources import Resource
from .factories import make_asset, make_criterion, role_with_criteria

pytestmark = pytest.mark.django_db


def _viewer(org):
    """A catalog user whose roles hold criteria on both resources, so every row needs a decision."""
    roles = [role_with_criteria(org, [(Resource.CATALOG, "grant", ["R1", "R7"]),
                                      (Resource.PRICE_GROUP, "deny", ["R3"])]),
             role_with_criteria(org, [(Resource.CATALOG, "deny", ["R7"]), (Resource.PRICE_GROUP, "grantNone", [])])]
    return make_user(org, privileges=[Privilege.CATALOG], roles=roles)


@pytest.mark.parametrize("resource,page_url,api_url", [
    (Resource.CATALOG, "/catalog/catalogs/", "/ccadmin/v1/catalogs"),
    (Resource.PRICE_GROUP, "/catalog/price-groups/", "/ccadmin/v1/priceListGroups"),
])
def test_asset_lists_one_vs_hundred_rows(acme, pages, api, django_assert_num_queries, resource, page_url,
                                         api_url):
    viewer = _viewer(acme)
    make_asset(acme, resource, "R0")
    page, client = pages(viewer), api(viewer)
    # One unmeasured request each first: what a process keeps between requests (content types) is then warm,
    # whichever test of this worker ran before.
    assert page.get(page_url).status_code == 200 and client.get(api_url).status_code == 200
    # page: session, user, org, access rights, count, rows, criteria (once), plus what the navigation asks
    with django_assert_num_queries(8):
        assert page.get(page_url).status_code == 200
    # API: token, access rights, count, rows, criteria (once)
    with django_assert_num_queries(5):
        assert len(client.get(api_url).json()["items"]) == 1
    for i in range(1, 100):
        make_asset(acme, resource, f"R{i}")
    with django_assert_num_queries(8):
        r = page.get(page_url)
    assert b"Page 1 of 4" in r.content and r.content.count(b"data-editable=") == 25
    with django_assert_num_queries(5):
        items = client.get(api_url).json()["items"]
    assert len(items) == 100  # all on one page: the default limit is 250
    editable = [i["id"] for i in items if i["allowedActions"]]
    assert editable == (["R1"] if resource == Resource.CATALOG else [])


def test_criteria_lists(acme, acme_admin, pages, api, django_assert_num_queries):
    role = make_role(acme)
    make_criterion(acme, Resource.CATALOG, "grant", ["A"], roles=[role])

    def add_rows():
        for i in range(99):
            make_criterion(acme, Resource.PRICE_GROUP if i % 2 else Resource.CATALOG, "deny", [f"X{i}", "Y"],
                           roles=[role, make_role(acme)])

    client = api(acme_admin)
    with django_assert_num_queries(6):
        assert client.get("/ccadmin/v1/adminSecurityCriteria").json()["total"] == 1
    page = pages(acme_admin)
    with django_assert_num_queries(8):
        assert page.get("/catalog/criteria/").status_code == 200
    add_rows()
    with django_assert_num_queries(6):
        body = client.get("/ccadmin/v1/adminSecurityCriteria").json()
    assert body["total"] == 100 and sum(len(i["roles"]) for i in body["items"]) == 1 + 99 * 2
    with django_assert_num_queries(8):
        assert b"Page 1 of 4" in page.get("/catalog/criteria/").content
