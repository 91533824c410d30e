"""/api/v1/loyalty/: the group program (administrators change it, CS agents read it) and the member-care reads
of user groups (list and search, detail, ledger) with member identities masked for the reader."""

from datetime import timedelta

import pytest

from accessadmin.models import AuditEvent
from loyalty import services
from loyalty.models import GroupProgram
from shopperdata import services as shopper_services

from .conftest import T0

pytestmark = pytest.mark.django_db

PROGRAM = "/api/v1/loyalty/group-program/"
GROUPS = "/api/v1/loyalty/groups/"


def mask_last_names(org):
    shopper_services.shopper_type_update(actor=None, org=org, properties={
        "lastName": {"readRole": "adminRole", "securityMaskingValue": "XXXXX"}})


def test_program_read_and_change(api, acme_admin, csr):
    got = api(csr).get(PROGRAM)
    assert got.status_code == 200
    assert got.json() == {"enabled": False, "max_group_size": 30, "points_to": "both", "tracking_window_days": 365,
                          "slabs": [{"name": "Silver", "threshold": 0, "renewal_threshold": 0},
                                    {"name": "Gold", "threshold": 5000, "renewal_threshold": 4000},
                                    {"name": "Platinum", "threshold": 20000, "renewal_threshold": 16000}]}
    assert api(csr).patch(PROGRAM, {"enabled": True}, format="json").status_code == 403
    slabs = [{"name": "Bronze", "threshold": 0, "renewal_threshold": 0},
             {"name": "Gold", "threshold": 100, "renewal_threshold": 80}]
    r = api(acme_admin).patch(f"{PROGRAM[:-1]}", {"enabled": True, "slabs": slabs, "points_to": "group"},
                              format="json")
    assert r.status_code == 200 and r.json()["slabs"] == slabs and r.json()["points_to"] == "group"
    assert AuditEvent.objects.filter(action="group_program.update", actor=acme_admin).count() == 1


@pytest.mark.parametrize("body, code, field", [
    ({"slabs": [{"name": "A", "threshold": 5, "renewal_threshold": 0}]}, "invalid_slabs", "slabs"),
    ({"slabs": [{"name": "A", "threshold": 0, "renewal_threshold": 0},
                {"name": "B", "threshold": 10, "renewal_threshold": 11}]}, "invalid_slabs", "slabs"),
    ({"slabs": [{"name": "A", "threshold": 0}]}, "invalid_slabs", "slabs"),
    ({"slabs": [{"name": "A", "threshold": 0, "renewal_threshold": 0, "colour": "x"}]}, "unknown_field", None),
    ({"max_group_size": 0}, "invalid", "max_group_size"),
    ({"points_to": "nobody"}, "invalid", "points_to"),
    ({"enabled": "yes"}, "invalid", "enabled"),
    ({"colour": "red"}, "unknown_field", "colour"),
])
def test_bad_program_changes_are_400_and_change_nothing(api, acme_admin, body, code, field):
    r = api(acme_admin).patch(PROGRAM, body, format="json")
    assert r.status_code == 400 and r.json()["code"] == code
    if field:
        assert field in r.json()["fields"]
    assert not GroupProgram.objects.exists()


def test_group_reads_need_the_program_and_cs_agent(api, acme, acme_admin, csr, make_user_without_privileges):
    assert api(csr).get(GROUPS).json()["code"] == "group_loyalty_disabled"
    services.program_update(actor=acme_admin, org=acme, changes={"enabled": True})
    assert api(csr).get(GROUPS).status_code == 200
    assert api(make_user_without_privileges).get(GROUPS).status_code == 403


def test_list_search_detail_and_ledger_masked_for_the_csr(api, acme, acme_admin, csr, program_on, make_family, buy):
    program_on(acme)
    mask_last_names(acme)
    smiths, (primary, member) = make_family(acme, name="The Smiths", external_id="SMITH-1", now=T0)
    shopper_services.profile_update(actor=None, profile=primary, values={"lastName": "Smith"})
    make_family(acme, name="Joneses", external_id="JONES-1")
    buy(acme, primary, "100", now=T0 + timedelta(days=1))
    buy(acme, member, "40", now=T0 + timedelta(days=2))

    listed = api(csr).get(GROUPS, {"q": primary.email}).json()
    assert listed["count"] == 1
    row = listed["results"][0]
    assert (row["id"], row["external_id"], row["slab"], row["points"], row["active_members"]) == \
        (smiths.pk, "SMITH-1", "Silver", 140, 2)
    assert row["primary_member"]["properties"]["lastName"] == "XXXXX"
    assert row["primary_member"]["name"] == "Sam XXXXX"
    assert api(acme_admin).get(GROUPS, {"q": "smith"}).json()["results"][0]["primary_member"]["name"] == "Sam Smith"
    assert api(csr).get(GROUPS, {"status": "INACTIVE"}).json()["count"] == 0
    assert api(csr).get(GROUPS, {"status": "GONE"}).json()["code"] == "invalid_filter"

    detail = api(csr).get(f"{GROUPS}{smiths.pk}/").json()
    assert detail["loyalty"]["tracker"] == 140 and detail["loyalty"]["gap_to_upgrade"] == 4860
    members = {m["member"]["customer_id"]: m for m in detail["members"]}
    assert members[primary.pk]["points_contributed"] == 100 and members[member.pk]["points_contributed"] == 40
    assert members[primary.pk]["member"]["properties"]["lastName"] == "XXXXX"
    assert sum(m["points_contributed"] for m in detail["members"]) == detail["lifetime_points"] == 140

    ledger = api(csr).get(f"{GROUPS}{smiths.pk}/ledger", {"customer_id": member.pk}).json()
    assert [(e["points"], e["member"]["customer_id"]) for e in ledger["results"]] == [(40, member.pk)]
    day = (T0 + timedelta(days=1)).date().isoformat()
    ledger = api(csr).get(f"{GROUPS}{smiths.pk}/ledger", {"date_from": day, "date_to": day}).json()
    assert [e["points"] for e in ledger["results"]] == [100]
    assert api(csr).get(f"{GROUPS}{smiths.pk}/ledger", {"date_from": "yesterday"}).json()["code"] == "invalid_date"


def test_deleted_customers_stay_members_without_identity(api, acme, csr, program_on, make_family, buy):
    from django.utils import timezone

    program_on(acme)
    group, (primary, member) = make_family(acme)
    buy(acme, member, "25")
    shopper_services.profile_erase(profile_id=member.pk, now=timezone.now())  # what PII deletion executes
    detail = api(csr).get(f"{GROUPS}{group.pk}").json()
    gone = next(m for m in detail["members"] if m["member"]["customer_id"] == member.pk)
    assert gone["member"] == {"customer_id": member.pk, "name": "Deleted customer", "deleted": True,
                              "properties": {}}
    assert gone["points_contributed"] == 25 and gone["left_at"] is None


def test_another_orgs_group_is_404(api, acme, globex, globex_admin, program_on, make_family):
    program_on(acme)
    program_on(globex)
    group, _ = make_family(acme)
    for url in (f"{GROUPS}{group.pk}/", f"{GROUPS}{group.pk}/ledger/", f"{GROUPS}987654/"):
        r = api(globex_admin).get(url)
        assert r.status_code == 404 and r.json()["code"] == "group_not_found"


def test_list_queries_are_constant(api, acme, csr, program_on, make_family, constant_queries):
    program_on(acme)
    make_family(acme)
    constant_queries(api(csr), GROUPS, 8, lambda: [make_family(acme, members=3) for _ in range(5)])


def test_detail_and_ledger_queries_are_constant(api, acme, csr, program_on, make_family, buy, make_customer,
                                                constant_queries):
    program_on(acme)
    group, (primary, _) = make_family(acme, max_group_size=20)

    def more():
        customers = [make_customer(acme) for _ in range(8)]
        services.group_join(org=acme, group_id=group.pk, members=[{"customer_id": c.pk} for c in customers])
        for c in customers:
            buy(acme, c, "10")

    buy(acme, primary, "5")
    constant_queries(api(csr), f"{GROUPS}{group.pk}/", 11, more)
    constant_queries(api(csr), f"{GROUPS}{group.pk}/ledger/", 9, more)
