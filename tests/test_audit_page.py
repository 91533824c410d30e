"""The audit log page: filters by person, action and dates as chips, readable diffs, CSV, query counts."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from groups import services as group_services

pytestmark = pytest.mark.django_db


def _grants(*cells):
    return frozenset(cells)


@pytest.fixture
def history(acme, acme_admin):
    """Two people's changes: acme-admin creates and edits a group; another admin creates one a week ago."""
    group, _ = group_services.group_create(actor=acme_admin, org=acme, name="WeChat",
                                           grants=_grants(("customer", "data", "read")))
    group_services.group_update(actor=acme_admin, org=acme, group=group, name="WeChat", description="",
                                grants=_grants(("customer", "data", "read"), ("customer", "data", "write"),
                                               ("points", "data", "read")))
    other = make_user(acme, username="acme-other", privileges=[Privilege.ADMIN])
    group_services.group_create(actor=other, org=acme, name="Kiosk", grants=_grants())
    week_ago = timezone.now() - datetime.timedelta(days=7)
    AuditEvent.objects.filter(actor=other).update(created_at=week_ago)
    return {"group": group, "other": other, "week_ago": week_ago}


def test_empty_log_says_nothing_recorded_but_a_filter_says_no_match(acme, acme_admin, globex, globex_admin, pages,
                                                                    history):
    AuditEvent.objects.filter(org=globex).delete()  # a new org: nothing recorded
    html = pages(globex_admin).get("/audit/").content.decode()
    assert "Nothing recorded yet." in html
    future = timezone.localdate() + datetime.timedelta(days=2)
    html = pages(acme_admin).get(f"/audit/?action=group.create&date_from={future}").content.decode()
    assert "Nothing recorded yet." not in html and "No entries match these filters." in html
    assert 'href="?">Clear the filters</a>' in html


def test_filters_by_person_action_and_dates_as_chips(acme, acme_admin, pages, history):
    client = pages(acme_admin)
    html = client.get("/audit/").content.decode()
    # the filter offers people's words, not internal names
    assert '<option value="group.permission">Permission changed</option>' in html
    assert '<option value="groups.accessgroup">Access group</option>' in html
    html = client.get(f"/audit/?actor={history['other'].pk}").content.decode()
    assert "Person: <strong>acme-other</strong>" in html and "Kiosk" in html and "WeChat" not in html
    html = client.get("/audit/?action=group.permission").content.decode()
    assert "Action: <strong>Permission changed</strong>" in html and "Kiosk" not in html
    remove = 'href="?" aria-label="Remove filter Action: Permission changed"'
    assert remove in html
    today = timezone.localdate()
    html = client.get(f"/audit/?date_from={today - datetime.timedelta(days=1)}&date_to={today}").content.decode()
    assert "WeChat" in html and "Kiosk" not in html and "From: <strong>" in html and "To: <strong>" in html
    html = client.get(f"/audit/?date_to={today - datetime.timedelta(days=3)}").content.decode()
    assert "Kiosk" in html and "WeChat" not in html
    # a reversed range is explained, not a 500
    html = client.get(f"/audit/?date_from={today}&date_to={today - datetime.timedelta(days=3)}").content.decode()
    assert "The end date is before the start date." in html
    for bad in ("actor=abc", "actor=999999", "action=<x>", "date_from=yesterday", "type=nope", "per_page=-1"):
        assert client.get(f"/audit/?{bad}").status_code == 200


def test_diffs_read_as_names_one_row_per_changed_permission(acme, acme_admin, pages, history):
    html = pages(acme_admin).get("/audit/?action=group.permission").content.decode()
    assert '<span class="diff-label">Customer · Data · Write:</span> <del aria-label="before">off</del> → ' \
           '<ins aria-label="after">on</ins>' in html
    assert "Points · Data · Read:" in html
    assert "customer" not in html.split("<tbody>")[1].split("</tbody>")[0]  # no internal keys in the rows
    # the group's page shows the same words in its history
    html = pages(acme_admin).get(f"/groups/{history['group'].pk}/").content.decode()
    assert "Customer · Data · Write:" in html and "Permission changed" in html


def test_audit_csv_is_the_filtered_log_in_words(acme, acme_admin, pages, history):
    response = pages(acme_admin).get("/audit/?action=group.permission&format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["When", "Who", "What", "Object", "Change"]
    assert {r[4] for r in rows[1:]} == {"Customer · Data · Read: off → on", "Customer · Data · Write: off → on",
                                      "Points · Data · Read: off → on"}
    assert {r[2] for r in rows[1:]} == {"Permission changed"}


def test_query_counts_of_audit_page_and_csv(acme, acme_admin, pages, constant_queries, django_assert_num_queries,
                                           history):
    client = pages(acme_admin)

    def more():
        for i in range(40):
            group_services.group_create(actor=acme_admin, org=acme, name=f"G{i}",
                                        grants=_grants(("customer", "data", "read"), ("points", "config", "write")))
    r = constant_queries(client, "/audit/?per_page=100", 9, more)
    assert r.content.decode().count("<tr>") == 101
    with django_assert_num_queries(7):
        response = client.get("/audit/?format=csv")
        assert len(b"".join(response.streaming_content).decode().splitlines()) > 100
