"""The header's global search (/search/): every provider, what each actor may see, fragment and page, and a
constant number of queries whatever the number of hits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accessadmin.privileges import Privilege
from accessadmin.testing import make_user, page_client

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def northwind(acme, globex, make_group, make_store, make_till, make_customer):
    """One object of each kind named "north…" in acme, and the same in globex (never found from acme)."""
    def make(org, n=1, start=0):
        for i in range(start, start + n):
            make_group(org, f"Northwind {i}")
            store = make_store(org, code=f"{org.code}-north{i}")
            make_till(org, store=store, code=f"{org.code}-north{i}-t1")
            make_user(org, username=f"{org.code}-northuser{i}", email=f"north{i}@{org.code}.example")
            make_customer(org, email=f"north{i}@shop.example")
    make(globex)
    return make


def kinds(response) -> dict[str, list[str]]:
    """Returns kind → the labels of its hits, read from the rendered results."""
    found = {}
    for group in response.context["results"]:
        found[group["kind"]] = [hit.label for hit in group["hits"]]
    return found


def test_an_admin_finds_every_kind_as_they_type(acme, acme_admin, northwind):
    northwind(acme)
    response = page_client(acme_admin).get("/search/", {"q": "north"}, **HX)
    assert response.status_code == 200
    found = kinds(response)
    assert set(found) == {"access_group", "store", "till", "user", "customer"}
    assert found["access_group"] == ["Northwind 0"]
    assert found["till"] == ["acme-north0-t1"]
    assert found["user"] == ["acme-northuser0"]
    assert all("globex" not in label for labels in found.values() for label in labels)
    html = response.content.decode()
    # A fragment for the dropdown: links, no layout, a status for screen readers.
    assert "<html" not in html and 'data-search-hit' in html
    assert 'data-status="5 results for north"' in html
    assert 'href="/search/?q=north"' in html


def test_the_page_shows_the_results_in_the_layout(acme, acme_admin, northwind):
    northwind(acme)
    response = page_client(acme_admin).get("/search/", {"q": "North"})
    html = response.content.decode()
    assert response.status_code == 200 and "<main" in html
    assert "5 results for “North”" in html
    assert 'href="/users/' in html and "acme-northuser0" in html
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_a_customer_service_agent_finds_customers_only(acme, csr, northwind):
    northwind(acme)
    found = kinds(page_client(csr).get("/search/", {"q": "north"}, **HX))
    assert set(found) == {"customer"}
    assert len(found["customer"]) == 1


def test_a_catalog_user_finds_nothing_they_may_not_open(acme, northwind):
    northwind(acme)
    catalog = make_user(acme, username="acme-cat", privileges=[Privilege.CATALOG])
    response = page_client(catalog).get("/search/", {"q": "north"}, **HX)
    assert kinds(response) == {}
    assert "Nothing found for “north”" in response.content.decode()


def test_blank_and_anonymous(acme, acme_admin):
    client = page_client(acme_admin)
    assert client.get("/search/", {"q": "  "}, **HX).content.decode().strip() == ""
    page = client.get("/search/")
    assert "Type part of a name, code, city or email." in page.content.decode()
    anonymous = page_client().get("/search/", {"q": "north"})
    assert anonymous.status_code == 302 and anonymous.url.startswith("/login/")


def test_long_queries_are_cut(acme, acme_admin):
    response = page_client(acme_admin).get("/search/", {"q": "x" * 500}, **HX)
    assert response.status_code == 200 and response.context["q"] == "x" * 100


@pytest.mark.parametrize("hx", [True, False], ids=["dropdown", "page"])
def test_query_count_is_constant_per_provider(acme, acme_admin, northwind, hx):
    northwind(acme, 1)
    client = page_client(acme_admin)
    headers = HX if hx else {}
    url = "/search/?q=north"
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as few:
        client.get(url, **headers)
    northwind(acme, 8, start=1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, **headers)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    limit = 5 if hx else 25
    found = kinds(response)
    assert all(1 < len(labels) <= limit for labels in found.values())


def test_the_header_offers_only_what_the_viewer_may_search(acme, acme_admin, csr):
    def box(user):
        html = page_client(user).get("/").content.decode()
        start = html.find('<form class="global-search"')
        return html[start:html.find("</form>", start)]

    assert 'placeholder="Search access groups, stores, tills, customers, users…"' in box(acme_admin)
    assert 'placeholder="Search customers…"' in box(csr)
    assert '<label for="global-search-q" class="visually-hidden">Search customers</label>' in box(csr)
    catalog = make_user(acme, username="acme-cat", privileges=[Privilege.CATALOG])
    assert 'class="global-search"' not in page_client(catalog).get("/").content.decode()
