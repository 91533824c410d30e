"""The group list sorted by store count reads the kept counts (one join, no count per group): right order,
and the same number of queries for few groups and many."""

import re

import pytest

from groups.models import AccessGroup

pytestmark = pytest.mark.django_db


def test_group_list_sorted_by_store_count(acme, acme_admin, pages, make_group, make_stores, allocate,
                                          constant_queries):
    big, small = make_group(acme, "Big"), make_group(acme, "Small")
    stores = [s.code for s in make_stores(acme, 5)]
    allocate(acme, big, stores[:3])
    allocate(acme, small, stores[3:4])
    client = pages(acme_admin)
    html = client.get("/groups/?sort=-stores").content.decode()
    names = re.findall(r'<a href="/groups/\d+/">([^<]+)</a>', html)
    assert names[:2] == ["Big", "Small"]

    def add():
        AccessGroup.objects.bulk_create([AccessGroup(org=acme, name=f"Bulk {i:04d}") for i in range(120)])
    r = constant_queries(client, "/groups/?sort=-stores&page=2", 9, add)
    assert "Bulk" in r.content.decode()
