"""Shopper profiles and property rules lists: sort only by what the viewer may read, masked CSV."""

import csv
import io

import pytest

pytestmark = pytest.mark.django_db


def _csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_profile_csv_is_masked_like_the_page(acme, audit_role, csr, auditor, pages, configure, new_profile,
                                             django_assert_num_queries):
    configure(acme, {"lastName": {"readRole": "audit", "securityMaskingValue": "XXXXX"}})
    new_profile(acme, email="b@example.com", firstName="bea", lastName="Secret")
    new_profile(acme, email="a@example.com", firstName="=Al", lastName="Hidden")
    client = pages(csr)
    with django_assert_num_queries(7):
        rows = _csv(client.get("/shoppers/?format=csv&sort=first_name"))
    assert rows[0] == ["Id", "First name", "Last name", "Email", "Mobile"]
    assert [r[1:] for r in rows[1:]] == [["'=Al", "XXXXX", "a@example.com", ""],
                                        ["bea", "XXXXX", "b@example.com", ""]]
    assert "Secret" not in str(rows) and "Hidden" not in str(rows)
    for i in range(40):
        new_profile(acme, email=f"p{i}@example.com", lastName="Lee")
    with django_assert_num_queries(7):
        assert len(_csv(client.get("/shoppers/?format=csv"))) == 43
    # the masked column cannot be sorted by (that would tell its order); the auditor, who reads it, can
    html = client.get("/shoppers/").content.decode()
    assert "?sort=first_name" in html and "?sort=last_name" not in html
    html = client.get("/shoppers/?sort=-last_name").content.decode()
    assert 'aria-sort="ascending"' in html  # an unsortable column falls back to the default order (id)
    html = pages(auditor).get("/shoppers/?sort=-last_name&per_page=50").content.decode()
    assert 'aria-sort="descending"' in html and html.index("Secret") < html.index("Hidden")
    assert "Secret" in _csv(pages(auditor).get("/shoppers/?format=csv&q=b%40"))[1]


def test_property_rules_sort_and_export(acme, acme_admin, audit_role, pages, configure):
    configure(acme, {"lastName": {"readRole": "audit", "securityMaskingValue": "XXXXX"}})
    client = pages(acme_admin)
    html = client.get("/shoppers/properties/?sort=property").content.decode()
    assert 'aria-sort="ascending"' in html
    rows = _csv(client.get("/shoppers/properties/?format=csv"))
    assert rows[0][:3] == ["Property", "Id", "Type"]
    last = next(r for r in rows if r[1] == "lastName")
    assert "role audit" in last and "XXXXX" in last


def test_property_rules_query_count_is_constant(acme, acme_admin, pages, configure, constant_queries):
    def add_properties():
        configure(acme, {f"custom{i}": {"type": "shortText", "label": f"Custom {i}"} for i in range(20)})
    r = constant_queries(pages(acme_admin), "/shoppers/properties/?per_page=100", 8, add_properties)
    assert "Custom 19" in r.content.decode()
