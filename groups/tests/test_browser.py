import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_org, make_user
from groups.models import AccessGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_creates_allocates_and_deactivates_a_group(browser_page, login_in_browser, make_stores):
    org = make_org("acme", "Acme Retail")
    make_user(org, username="acme-admin", password="demo-pass-2026", privileges=[Privilege.ADMIN])
    make_stores(org, 3)
    page = browser_page
    login_in_browser(page, "acme-admin", "demo-pass-2026")

    # Create a group with cells in both tabs.
    page.locator("aside").get_by_role("link", name="Access groups").click()
    page.get_by_role("button", name="New access group").click()
    page.fill("input[name=name]", "Loyalty kiosk")
    page.fill("textarea[name=description]", "Kiosks in the mall")
    page.get_by_label("Customer data read").check()
    page.get_by_label("Customer data write").check()
    assert not page.get_by_label("Store config read").is_visible()  # the other tab is hidden
    page.get_by_role("tab", name="Config APIs").click()
    page.get_by_label("Store config read").check()
    page.get_by_role("button", name="Create group").click()
    assert "Access group Loyalty kiosk created." in page.locator(".messages").inner_text()
    group = AccessGroup.objects.get(org=org, name="Loyalty kiosk")
    assert group.cells.count() == 2

    # Search for it in the list.
    page.locator("aside").get_by_role("link", name="Access groups").click()
    page.fill("input[name=search]", "kiosk")
    page.get_by_role("button", name="Apply").click()
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "Loyalty kiosk" in rows.first.inner_text()
    rows.first.get_by_role("link", name="Loyalty kiosk").click()

    # Allocate two stores.
    page.fill("input[name=q]", "acme-s00")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Select acme-s001").check()
    page.get_by_label("Select acme-s002").check()
    page.get_by_role("button", name="Allocate selected").click()
    # First where they come from (both from the default group), nothing saved yet.
    assert page.locator("h1").inner_text() == "Allocate 2 stores to Loyalty kiosk?"
    assert "acme-s001, acme-s002" in page.locator("tbody").inner_text()
    page.get_by_role("button", name="Allocate 2 stores").click()
    assert "2 stores allocated to Loyalty kiosk." in page.locator(".messages").inner_text()

    # Deactivation asks first, with the count; cancel.
    page.get_by_role("button", name="Deactivate…").click()
    assert "2 stores are allocated" in page.locator("main").inner_text()
    page.get_by_role("link", name="Cancel").click()

    # Unallocate both (select all), then deactivate.
    page.get_by_label("Select all allocated stores").check()
    page.get_by_role("button", name="Unallocate selected").click()
    assert "2 stores unallocated" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Deactivate…").click()
    page.get_by_role("button", name="Deactivate Loyalty kiosk").click()
    assert "Loyalty kiosk is now inactive." in page.locator(".messages").inner_text()

    # The history shows every step.
    history = page.locator("#history-title + .table-wrap").inner_text()
    for action in ("Access group created", "Permission changed", "Store allocated", "Store unallocated",
                   "Access group deactivated"):
        assert action in history
    page.screenshot(path="/tmp/group_detail.png", full_page=True)
