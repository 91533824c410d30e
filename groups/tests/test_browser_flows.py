"""Browser flows of a group's pages: back to editing keeps the changes, allocation shows where stores come
from, and deactivating a group with stores moves them in one confirmed step."""

import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_org, make_user
from groups import selectors
from groups.models import AccessGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-2026"


@pytest.fixture
def acme_in_browser(browser_page, login_in_browser):
    org = make_org("acme", "Acme Retail")
    make_user(org, username="acme-admin", password=PASSWORD, privileges=[Privilege.ADMIN])
    login_in_browser(browser_page, "acme-admin", PASSWORD)
    return org, browser_page


def test_back_to_editing_keeps_the_unsaved_changes(acme_in_browser, make_group):
    org, page = acme_in_browser
    group = make_group(org, "WeChat")  # customer data read
    page.goto(f"{page.base}/groups/{group.pk}/edit/")
    page.fill("input[name=name]", "WeChat mini")
    page.get_by_label("Points data read").check()
    page.get_by_label("Customer data read").uncheck()
    page.get_by_role("button", name="Preview changes").click()
    assert page.locator("h1").inner_text() == "Preview changes to WeChat"
    page.get_by_role("button", name="Back to editing").click()
    assert page.locator("h1").inner_text() == "Edit WeChat"  # the form, not the preview again
    assert page.locator("input[name=name]").input_value() == "WeChat mini"
    assert page.get_by_label("Points data read").is_checked()
    assert not page.get_by_label("Customer data read").is_checked()
    assert selectors.group_grants(group) == {("customer", "data", "read")}  # nothing saved
    page.get_by_role("button", name="Preview changes").click()
    page.get_by_role("button", name="Save changes").click()
    assert "Access group WeChat mini saved." in page.locator(".messages").inner_text()
    assert selectors.group_grants(group) == {("points", "data", "read")}


def test_allocation_shows_where_the_stores_come_from_before_saving(acme_in_browser, make_group, make_store):
    org, page = acme_in_browser
    wechat, kiosk = make_group(org, "WeChat"), make_group(org, "Kiosk")
    make_store(org, "acme-s001", group=wechat)
    make_store(org, "acme-s002")
    page.goto(f"{page.base}/groups/{kiosk.pk}/")
    page.get_by_label("Select acme-s001").check()
    page.get_by_label("Select acme-s002").check()
    page.get_by_role("button", name="Allocate selected").click()
    assert page.locator("h1").inner_text() == "Allocate 2 stores to Kiosk?"
    rows = page.locator("table[aria-label='Where the stores come from'] tbody tr")
    assert rows.count() == 2
    texts = sorted(rows.all_inner_texts())
    assert "POS" in texts[0] and "acme-s002" in texts[0] and "default group" in texts[0]
    assert "WeChat" in texts[1] and "acme-s001" in texts[1]
    assert kiosk.stores.count() == 0  # nothing moved yet
    page.get_by_role("button", name="Allocate 2 stores").click()
    assert "2 stores allocated to Kiosk." in page.locator(".messages").inner_text()
    assert sorted(kiosk.stores.values_list("code", flat=True)) == ["acme-s001", "acme-s002"]


def test_deactivating_a_group_with_stores_moves_them_in_one_step(acme_in_browser, make_group, make_stores,
                                                                 allocate):
    org, page = acme_in_browser
    wechat, kiosk = make_group(org, "WeChat"), make_group(org, "Kiosk")
    make_stores(org, 3)
    allocate(org, wechat, ["acme-s001", "acme-s002", "acme-s003"])
    page.goto(f"{page.base}/groups/{wechat.pk}/")
    page.get_by_role("button", name="Deactivate…").click()
    assert page.locator("h1").inner_text() == "Deactivate WeChat?"
    assert "3 stores are allocated to WeChat" in page.locator("main").inner_text()
    page.get_by_role("button", name="Move 3 stores and deactivate").click()  # no target chosen yet
    assert AccessGroup.objects.get(pk=wechat.pk).is_active
    page.get_by_label("Move its stores to").fill("Kio")  # searched as you type
    page.get_by_role("option", name="Kiosk").click()
    page.get_by_role("button", name="Move 3 stores and deactivate").click()
    assert "WeChat is now inactive. 3 stores moved to Kiosk." in page.locator(".messages").inner_text()
    assert not AccessGroup.objects.get(pk=wechat.pk).is_active
    assert kiosk.stores.count() == 3 and wechat.stores.count() == 0
