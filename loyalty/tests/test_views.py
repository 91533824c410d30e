"""The group loyalty program page: administrators change it, CS agents read it, others are refused."""

import pytest

from loyalty import selectors

pytestmark = pytest.mark.django_db

URL = "/loyalty/group-program/"


def form(**overrides):
    data = {"enabled": "on", "max_group_size": "12", "points_to": "group", "tracking_window_days": "180",
            "slabs-TOTAL_FORMS": "3", "slabs-INITIAL_FORMS": "0", "slabs-MIN_NUM_FORMS": "0",
            "slabs-MAX_NUM_FORMS": "20",
            "slabs-0-name": "Blue", "slabs-0-threshold": "0", "slabs-0-renewal_threshold": "0",
            "slabs-1-name": "Gold", "slabs-1-threshold": "1000", "slabs-1-renewal_threshold": "800",
            "slabs-2-name": "", "slabs-2-threshold": "", "slabs-2-renewal_threshold": ""}
    data.update(overrides)
    return data


def test_administrator_changes_the_program(pages, acme, acme_admin):
    client = pages(acme_admin)
    page = client.get(URL)
    assert page.status_code == 200 and b"Platinum" in page.content and b"Save" in page.content
    response = client.post(URL, form())
    assert response.status_code == 302
    program = selectors.program_get(org=acme)
    assert (program.enabled, program.max_group_size, program.points_to, program.tracking_window_days) == \
        (True, 12, "group", 180)
    assert program.slabs == [{"name": "Blue", "threshold": 0, "renewal_threshold": 0},
                             {"name": "Gold", "threshold": 1000, "renewal_threshold": 800}]


def test_broken_slabs_are_shown_and_change_nothing(pages, acme, acme_admin):
    response = pages(acme_admin).post(URL, form(**{"slabs-1-renewal_threshold": "2000"}))
    assert response.status_code == 400
    assert b"must not pass the threshold" in response.content
    assert selectors.program_get(org=acme).pk is None


def test_cs_agent_reads_only_and_others_are_refused(pages, acme, csr, make_user_without_privileges):
    page = pages(csr).get(URL)
    assert page.status_code == 200 and b"Only administrators change" in page.content
    assert pages(csr).post(URL, form()).status_code == 403
    assert selectors.program_get(org=acme).pk is None
    assert pages(make_user_without_privileges).get(URL).status_code == 403
