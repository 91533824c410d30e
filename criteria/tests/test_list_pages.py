"""Catalog, price group and security criteria lists: header sort, chips, CSV with the viewer's decisions."""

import csv
import io

import pytest

from accessadmin.testing import make_role

from ..resources import Resource
from .factories import make_asset, make_criterion
from .test_queries import _viewer

pytestmark = pytest.mark.django_db


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_catalogs_sort_and_export_what_the_viewer_may_change(acme, pages, django_assert_num_queries):
    viewer = _viewer(acme)
    for code in ("R7", "r2", "R1"):
        make_asset(acme, Resource.CATALOG, code)
    client = pages(viewer)
    html = client.get("/catalog/catalogs/?sort=-code").content.decode()
    assert html.index(">R7<") < html.index(">r2<") < html.index(">R1<")
    with django_assert_num_queries(6):
        rows = _csv(client.get("/catalog/catalogs/?format=csv"))
    assert [(r[0], r[-1]) for r in rows] == [("Id", "You may change it"), ("R1", "yes"), ("r2", "no"), ("R7", "no")]
    for i in range(30):
        make_asset(acme, Resource.CATALOG, f"X{i}")
    with django_assert_num_queries(6):
        assert len(_csv(client.get("/catalog/catalogs/?format=csv"))) == 34


def test_criteria_filter_chip_and_csv(acme, acme_admin, pages):
    role = make_role(acme)
    make_criterion(acme, Resource.CATALOG, "grant", ["A"], roles=[role])
    make_criterion(acme, Resource.PRICE_GROUP, "deny", ["B"])
    client = pages(acme_admin)
    html = client.get("/catalog/criteria/?resource=ora.pLGAssetResource").content.decode()
    assert "Resource: <strong>Price Groups</strong>" in html
    rows = _csv(client.get("/catalog/criteria/?resource=ora.catalogAssetResource&format=csv"))
    assert len(rows) == 2 and rows[1][4:] == ["grant", "A", role.code]
