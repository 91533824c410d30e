"""Users, roles and access rights lists: header sort, search chip, CSV and its query count."""

import csv
import io

import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_user

pytestmark = pytest.mark.django_db


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_users_sort_case_insensitively_and_export(acme, acme_admin, pages, django_assert_num_queries):
    for name in ("acme-bob", "ACME-alice", "acme-Carol"):
        make_user(acme, username=name, email=f"{name}@example.com", privileges=[Privilege.CS_AGENT])
    client = pages(acme_admin)
    html = client.get("/users/?q=acme-&sort=username").content.decode()
    assert html.index("ACME-alice") < html.index("acme-bob") < html.index("acme-Carol")
    assert "Search: <strong>acme-</strong>" in html
    with django_assert_num_queries(6):
        rows = _csv(client.get("/users/?q=acme-&sort=-username&format=csv"))
    assert [r[0] for r in rows] == ["Username", "acme-Carol", "acme-bob", "ACME-alice", "acme-admin"]
    assert rows[1][3] == "CS Agent"
    for i in range(30):
        make_user(acme, username=f"acme-u{i}", privileges=[Privilege.CS_AGENT])
    with django_assert_num_queries(6):
        assert len(_csv(client.get("/users/?format=csv"))) == 35


def test_roles_and_access_rights_export(acme, acme_admin, pages, django_assert_num_queries):
    client = pages(acme_admin)
    with django_assert_num_queries(7):
        rows = _csv(client.get("/roles/?format=csv&sort=-users"))
    assert rows[0] == ["Name", "Id", "Description", "Access rights", "Users"]
    assert any(r[1] == "adminRole" and "ora.adminPrivilege" in r[3] for r in rows)
    html = client.get("/access-rights/?sort=-name").content.decode()
    assert 'aria-sort="descending"' in html
    rows = _csv(client.get("/access-rights/?format=csv&q=ora."))
    assert rows[0] == ["Id", "Name", "Type", "Description"] and all(r[0].startswith("ora.") for r in rows[1:])
