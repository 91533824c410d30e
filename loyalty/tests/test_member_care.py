"""Member care pages of group loyalty: the group search (Members | Groups), the group's Overview, Loyalty and
Events tabs, the member list download, and the customer's Groups and Company hierarchy on their profile."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accessadmin import services as core_services
from loyalty import services
from shopperdata import services as shopper_services

pytestmark = pytest.mark.django_db

LIST = "/loyalty/groups/"


def detail(group, tab=""):
    return f"/loyalty/groups/{group.pk}/{tab}"


@pytest.fixture
def masked_names(acme, acme_admin):
    """acme's firstName and mobile readable only by role `audit`; others read the masking value."""
    core_services.access_right_create(actor=acme_admin, org=acme, code="ar10", name="Access right 10")
    core_services.role_create(actor=acme_admin, org=acme, code="audit", name="Audit", access_rights=["ar10"])
    shopper_services.shopper_type_update(actor=None, org=acme, properties={
        "firstName": {"readRole": "audit", "securityMaskingValue": "XXXXX"},
        "mobile": {"readRole": "audit", "securityMaskingValue": "HIDDEN"}})


def test_groups_are_hidden_while_the_program_is_off(pages, acme, csr, acme_admin, make_family, program_on):
    program_on(acme)
    group, _ = make_family(acme)
    services.program_update(actor=acme_admin, org=acme, changes={"enabled": False})
    client = pages(csr)
    page = client.get(LIST)
    assert page.status_code == 200
    assert b"Group loyalty is off" in page.content and group.external_id.encode() not in page.content
    for tab in ("", "loyalty/", "events/", "members.csv"):
        assert client.get(detail(group, tab)).status_code == 404
    assert b"Search in" not in client.get("/shoppers/").content


def test_the_search_offers_groups_and_finds_them_by_name_external_id_and_primary_identifier(
        pages, acme, csr, make_family, program_on):
    program_on(acme)
    first, members = make_family(acme, name="The Andersons", external_id="FAM-AND")
    second, _ = make_family(acme, name="The Bakers", external_id="FAM-BAK")
    client = pages(csr)
    profiles = client.get("/shoppers/?q=Sam")
    assert b'aria-label="Search in"' in profiles.content and b"/loyalty/groups/?q=Sam" in profiles.content
    for q, found, missing in (("anders", first, second), ("FAM-BAK", second, first),
                              (members[0].mobile, first, second)):
        page = client.get(LIST, {"q": q})
        assert page.status_code == 200
        assert found.external_id.encode() in page.content and missing.external_id.encode() not in page.content, q
    # a member who is not primary does not name the group
    assert first.external_id.encode() not in client.get(LIST, {"q": members[1].mobile}).content


def test_group_search_never_matches_a_masked_identifier(pages, acme, csr, make_family, program_on, masked_names):
    program_on(acme)
    group, members = make_family(acme)
    page = pages(csr).get(LIST, {"q": members[0].mobile})
    assert group.external_id.encode() not in page.content


def test_overview_shows_members_ownership_contribution_and_permissions(
        pages, acme, csr, make_family, program_on, buy):
    program_on(acme)
    group, (owner, other) = make_family(acme, name="The Andersons", permissions=["allow_points_redemption"])
    buy(acme, owner, "120")
    buy(acme, other, "30")
    page = pages(csr).get(detail(group))
    assert page.status_code == 200
    text = page.content.decode()
    assert "The Andersons" in text and "Primary" in text and "May redeem group points" in text
    assert "2 active · 0 exited" in text
    assert ">120<" in text and ">30<" in text  # points contributed per member


def test_member_identities_are_masked_for_the_csr(pages, acme, csr, make_family, program_on, masked_names):
    program_on(acme)
    group, members = make_family(acme)
    for url in (detail(group), LIST, detail(group, "members.csv")):
        response = pages(csr).get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert members[0].mobile.encode() not in body
        assert b"Sam" not in body, url  # firstName is masked for the CSR
    csv_text = b"".join(pages(csr).get(detail(group, "members.csv")).streaming_content).decode()
    assert csv_text.splitlines()[0].startswith("Customer id,Member,Primary member")
    assert len(csv_text.splitlines()) == 3


def test_a_deleted_customer_stays_a_member_as_deleted_customer(pages, acme, csr, make_family, program_on):
    program_on(acme)
    group, members = make_family(acme)
    type(members[1]).objects.filter(pk=members[1].pk).update(deleted_at=timezone.now())
    page = pages(csr).get(detail(group)).content.decode()
    assert "Deleted customer" in page and "2 active" in page


def test_loyalty_tab_shows_slab_tracker_gaps_and_history(pages, acme, csr, make_family, program_on, buy):
    program_on(acme)
    group, (owner, _) = make_family(acme)
    buy(acme, owner, "4700")
    page = pages(csr).get(detail(group, "loyalty/")).content.decode()
    assert "Slab Silver" in page and "Gold at 5000" in page
    assert "300 points" in page  # gap to upgrade
    assert "<svg" in page and "<rect" in page  # the tracker chart
    buy(acme, owner, "400")  # passes Gold: upgraded at once, with its reason
    page = pages(csr).get(detail(group, "loyalty/")).content.decode()
    assert "Slab Gold" in page and "Silver → Gold" in page and "Tracker reached the next threshold" in page
    assert "Gap to renew" in page


def test_events_tab_lists_ledger_and_transactions_by_member_and_date(pages, acme, csr, make_family, program_on, buy):
    program_on(acme)
    long_ago = timezone.now() - timedelta(days=40)
    group, (owner, other) = make_family(acme, now=long_ago - timedelta(days=1))
    buy(acme, owner, "11", now=long_ago)
    buy(acme, other, "22")
    client = pages(csr)
    ledger = client.get(detail(group, "events/")).content.decode()
    assert ">11<" in ledger and ">22<" in ledger
    by_member = client.get(detail(group, "events/"), {"member": other.pk}).content.decode()
    assert ">22<" in by_member and ">11<" not in by_member
    recent = client.get(detail(group, "events/"), {"date_from": (timezone.now() - timedelta(days=5)).date()})
    assert ">22<" in recent.content.decode() and ">11<" not in recent.content.decode()
    txns = client.get(detail(group, "events/"), {"show": "transactions"}).content.decode()
    assert "B-1" in txns and "11.00" in txns and "22.00" in txns
    # a bad date or member is ignored, never a 500
    assert client.get(detail(group, "events/"), {"date_from": "nope", "member": "x"}).status_code == 200


def test_profile_shows_the_members_groups_and_company_hierarchy(pages, acme, csr, program_on, make_customer, buy):
    program_on(acme)
    parent = services.group_create(org=acme, external_id="CO-TOP", name="Acme Logistics", max_group_size=10,
                                   group_type="COMPANY")
    child = services.group_create(org=acme, external_id="CO-NORTH", name="Logistics North", max_group_size=10,
                                  group_type="COMPANY", parent_group_id=parent.pk)
    sibling = services.group_create(org=acme, external_id="CO-SOUTH", name="Logistics South", max_group_size=10,
                                    group_type="COMPANY", parent_group_id=parent.pk)
    driver = make_customer(acme)
    services.group_join(org=acme, group_id=child.pk, members=[
        {"customer_id": driver.pk, "primary": True, "default_group": True, "role": "Fleet manager", "permissions": []}])
    buy(acme, driver, "75")
    page = pages(csr).get(f"/shoppers/{driver.pk}/").content.decode()
    assert "Logistics North" in page and "Primary member" in page and "Fleet manager" in page and ">75<" in page
    assert "Company hierarchy" in page
    tree = page[page.index("Company hierarchy"):]
    assert tree.index("Acme Logistics") < tree.index("Logistics North")
    assert "Logistics South" in tree  # the whole tree, from the top parent down
    assert sibling.external_id not in page.split("Company hierarchy")[0]


def test_another_orgs_group_is_404(pages, acme, globex, globex_admin, make_family, program_on):
    program_on(acme)
    program_on(globex)
    group, _ = make_family(acme)
    client = pages(globex_admin)
    for tab in ("", "loyalty/", "events/", "members.csv"):
        assert client.get(detail(group, tab)).status_code == 404
    assert group.external_id.encode() not in client.get(LIST).content
    assert client.get("/loyalty/groups/99999999999999999999/").status_code == 404


def test_people_without_member_care_are_refused(pages, acme, make_family, program_on, make_user_without_privileges):
    program_on(acme)
    group, _ = make_family(acme)
    client = pages(make_user_without_privileges)
    assert client.get(LIST).status_code == 403
    assert client.get(detail(group)).status_code == 403


def test_group_pages_query_counts_do_not_grow_with_members_or_ledger(
        pages, acme, csr, make_family, program_on, buy, make_customer, constant_queries):
    program_on(acme, max_group_size=100)
    group, (owner, _) = make_family(acme, max_group_size=60)
    buy(acme, owner, "10")

    def more():
        customers = [make_customer(acme) for _ in range(20)]
        services.group_join(org=acme, group_id=group.pk, members=[
            {"customer_id": c.pk, "primary": False, "default_group": False, "permissions": ["allow_points_transfer"]}
            for c in customers])
        for c in customers[:10]:
            buy(acme, c, "5")

    client = pages(csr)
    # session, user, org, privileges, program, group, shopper-data plan (2), a store-manager check of the
    # navigation; then per tab: members (count, page, identities) · the tracker series, the slab history ·
    # members, ledger or transactions (count, page)
    constant_queries(client, detail(group), 12, more)
    constant_queries(client, detail(group, "loyalty/"), 11, more)
    constant_queries(client, detail(group, "events/"), 13, more)
    constant_queries(client, detail(group, "events/?show=transactions"), 13, more)
    constant_queries(client, LIST, 11, lambda: make_family(acme, members=3))
