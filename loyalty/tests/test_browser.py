"""Member care in a real browser: a CSR searches groups, opens a group's tabs and a member's groups."""

import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_org, make_user
from loyalty import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_csr_searches_groups_opens_the_tabs_and_a_members_groups(browser_page, login_in_browser, make_customer, buy):
    org = make_org("acme", "Acme Retail")
    admin = make_user(org, username="acme-admin", privileges=[Privilege.ADMIN])
    make_user(org, username="acme-csr", password="demo-pass-2026", privileges=[Privilege.CS_AGENT])
    services.program_update(actor=admin, org=org, changes={"enabled": True})
    parent = services.group_create(org=org, external_id="CO-TOP", name="Acme Logistics", max_group_size=10,
                                   group_type="COMPANY")
    company = services.group_create(org=org, external_id="CO-NORTH", name="Logistics North", max_group_size=10,
                                    group_type="COMPANY", parent_group_id=parent.pk)
    family = services.group_create(org=org, external_id="FAM-AND", name="The Andersons", max_group_size=5)
    owner, kid = make_customer(org), make_customer(org)
    services.group_join(org=org, group_id=family.pk, members=[
        {"customer_id": owner.pk, "primary": True, "default_group": True, "permissions": ["allow_points_redemption"]},
        {"customer_id": kid.pk, "primary": False, "default_group": True, "permissions": []}])
    services.group_join(org=org, group_id=company.pk, members=[
        {"customer_id": owner.pk, "primary": False, "default_group": False, "role": "Driver", "permissions": []}])
    buy(org, owner, "4800")
    buy(org, kid, "50")

    page = browser_page
    login_in_browser(page, "acme-csr", "demo-pass-2026")
    page.locator("aside").get_by_role("link", name="Shopper profiles").click()
    page.get_by_role("navigation", name="Search in").get_by_role("link", name="Groups").click()
    page.locator("main").get_by_role("searchbox", name="Search", exact=True).fill("anders")
    page.get_by_role("button", name="Apply").click()
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "FAM-AND" in rows.first.inner_text()
    rows.first.get_by_role("link", name="The Andersons").click()

    # Overview: members, ownership, contribution.
    overview = page.locator("main").inner_text()
    assert "2 active · 0 exited" in overview and "Primary" in overview and "4800" in overview
    # Loyalty: slab, gap to Gold, the chart.
    page.get_by_role("navigation", name="Group").get_by_role("link", name="Loyalty").click()
    loyalty = page.locator("main").inner_text()
    assert "Slab Silver" in loyalty and "150 points" in loyalty  # 5,000 − 4,850
    assert page.locator("figure.tracker-chart svg rect").count() >= 1
    # Events: filter the ledger by member.
    page.get_by_role("navigation", name="Group").get_by_role("link", name="Events").click()
    assert page.locator("tbody tr").count() == 2
    page.get_by_label("Member").select_option(str(kid.pk))
    page.get_by_role("button", name="Apply").click()
    assert page.locator("tbody tr").count() == 1 and "50" in page.locator("tbody tr").first.inner_text()
    page.get_by_role("link", name="Member transactions").click()
    assert page.locator("tbody tr").count() == 1

    # The member view: their groups and the company hierarchy.
    page.goto(f"{page.base}/shoppers/{owner.pk}/")
    groups = page.locator("section.profile-groups")
    assert "The Andersons" in groups.inner_text() and "Primary member" in groups.inner_text()
    assert "Driver" in groups.inner_text()
    tree = groups.get_by_role("list", name="Company hierarchy of Acme Logistics")
    assert "Logistics North" in tree.inner_text()
    tree.get_by_role("link", name="Acme Logistics").click()
    assert "Logistics North" in page.locator("main").inner_text()
