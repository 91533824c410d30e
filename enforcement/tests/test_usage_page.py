"""The usage log page: sort by header, filters as chips, CSV, query counts."""

import csv
import io

import pytest
from django.utils import timezone

from enforcement.models import UsageRecord

pytestmark = pytest.mark.django_db


def _row(org, caller, *, outcome="allowed", count=1, store="acme-s001", resource="customer"):
    now = timezone.now()
    return UsageRecord.objects.create(org=org, caller_kind="till", caller=caller, store_code=store,
                                      resource=resource, api="data", method="GET", outcome=outcome,
                                      access_group="POS", day=now.date(), count=count, last_seen_at=now)


def test_usage_sorts_filters_and_exports(acme, acme_admin, pages, django_assert_num_queries, constant_queries):
    _row(acme, "acme-s001-t2", count=5)
    _row(acme, "ACME-s001-t1", count=9, outcome="denied")
    client = pages(acme_admin)
    html = client.get("/stores/-/usage/?sort=-total").content.decode()
    assert html.index("ACME-s001-t1") < html.index("acme-s001-t2")
    html = client.get("/stores/-/usage/?sort=caller&outcome=denied&store=acme-s001").content.decode()
    assert "Outcome: <strong>Denied</strong>" in html and "Store: <strong>acme-s001</strong>" in html
    assert "acme-s001-t2" not in html
    assert client.get("/stores/-/usage/?days=abc&store=a/b&outcome=x").status_code == 200
    with django_assert_num_queries(5):
        response = client.get("/stores/-/usage/?format=csv&sort=caller")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r[0] for r in rows] == ["Caller", "ACME-s001-t1", "acme-s001-t2"]
    assert rows[1][7:9] == ["denied", "9"]
    constant_queries(client, "/stores/-/usage/?per_page=100", 6,
                     lambda: [_row(acme, f"acme-s001-t{i:02d}", resource=f"r{i}") for i in range(40)])
