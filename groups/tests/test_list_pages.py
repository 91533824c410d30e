"""The access group list: header sort, chips, CSV, bulk deactivation with its confirmation."""

import csv
import io

import pytest

from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from groups.models import AccessGroup

pytestmark = pytest.mark.django_db


def test_group_list_sorts_by_header_case_insensitively(acme, acme_admin, pages, make_group):
    for name in ("beta", "Alpha", "gamma", "Delta"):
        make_group(acme, name)
    html = pages(acme_admin).get("/groups/?kind=custom&sort=name").content.decode()
    assert html.index("Alpha") < html.index("beta") < html.index("Delta") < html.index("gamma")
    html = pages(acme_admin).get("/groups/?kind=custom&sort=-name").content.decode()
    assert html.index("gamma") < html.index("Delta") < html.index("beta") < html.index("Alpha")
    assert "Kind: <strong>Custom</strong>" in html


def test_group_csv_and_query_counts(acme, acme_admin, pages, make_group, constant_queries,
                                    django_assert_num_queries):
    make_group(acme, "@risky", description="=1+1")
    client = pages(acme_admin)
    with django_assert_num_queries(8):
        response = client.get("/groups/?kind=custom&format=csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Name", "Status", "Kind", "Description", "Created on", "Created by", "Last updated on",
                       "Last updated by", "Stores"]
    assert rows[1][:4] == ["'@risky", "active", "custom", "'=1+1"] and rows[1][-1] == "0"
    constant_queries(client, "/groups/?sort=-stores&per_page=100", 9,
                     lambda: [make_group(acme, f"G{i:03d}") for i in range(60)])
    with django_assert_num_queries(8):
        response = client.get("/groups/?kind=custom&format=csv")
        assert len(b"".join(response.streaming_content).decode().splitlines()) == 62


def test_bulk_deactivation_explains_each_refusal_then_deactivates(acme, globex, acme_admin, pages, make_group,
                                                                  make_stores, allocate, builtin):
    free, busy, done = make_group(acme, "Free"), make_group(acme, "Busy"), make_group(acme, "Done")
    theirs = make_group(globex, "Theirs")
    make_stores(acme, 1)
    allocate(acme, busy, ["acme-s001"])
    client = pages(acme_admin)
    client.post(f"/groups/{done.pk}/deactivate/", {})
    ids = [free.pk, busy.pk, done.pk, theirs.pk, builtin("POS").pk]
    html = client.post("/groups/bulk/", {"action": "deactivate", "ids": ids}).content.decode()
    assert "1 will change" in html and "<strong>Free</strong>" in html
    assert "1 store is allocated to Busy" in html
    assert "POS is a built-in group" in html and "Theirs" not in html
    assert AccessGroup.objects.get(pk=free.pk).is_active  # nothing yet
    r = client.post("/groups/bulk/", {"action": "deactivate", "ids": ids, "confirm": "1"}, follow=True)
    assert "1 access group(s) deactivated: Free." in r.content.decode()
    assert not AccessGroup.objects.get(pk=free.pk).is_active
    assert AccessGroup.objects.get(pk=busy.pk).is_active and AccessGroup.objects.get(pk=theirs.pk).is_active
    assert AuditEvent.objects.filter(action="group.deactivate", target_id=str(free.pk), actor=acme_admin).exists()


def test_bulk_deactivation_needs_the_privilege(acme, pages, make_group):
    group = make_group(acme, "Free")
    csr = make_user(acme, username="csr9", privileges=[Privilege.CS_AGENT])
    assert pages(csr).post("/groups/bulk/", {"ids": [group.pk], "confirm": "1"}).status_code == 403
    assert AccessGroup.objects.get(pk=group.pk).is_active
