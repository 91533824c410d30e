"""The search-as-you-type group field in a browser: typed, picked with the keyboard, announced as a
combobox (headless Chromium)."""

import pytest
from playwright.sync_api import expect

from accessadmin.privileges import Privilege
from accessadmin.testing import make_org, make_user
from groups import selectors
from groups.models import AccessGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_default_group_is_chosen_by_typing_and_the_keyboard(browser_page, login_in_browser, make_group):
    org = make_org("acme", "Acme Retail")
    make_user(org, username="acme-admin", password="demo-pass-2026", privileges=[Privilege.ADMIN])
    make_group(org, "WeChat")
    make_group(org, "Web shop")
    AccessGroup.objects.bulk_create([AccessGroup(org=org, name=f"Bulk {i:04d}") for i in range(300)])
    page = browser_page
    login_in_browser(page, "acme-admin", "demo-pass-2026")
    page.goto(f"{page.base}/groups/default/")
    field = page.get_by_role("combobox", name="Default group")
    assert field.get_attribute("aria-expanded") == "false"
    field.fill("we")
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_text(["Web shop", "WeChat"])  # after the focus's list, the typed text's
    assert field.get_attribute("aria-expanded") == "true"
    field.press("ArrowDown")
    field.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    field.press("ArrowUp")
    assert field.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
    field.press("ArrowDown")
    field.press("Enter")
    assert field.input_value() == "WeChat" and field.get_attribute("aria-expanded") == "false"
    page.get_by_role("button", name="Review the change").click()
    assert "Switching the default from POS to WeChat" in page.locator("article").inner_text()
    page.get_by_role("button", name="Switch the default to WeChat").click()
    page.wait_for_url(f"{page.base}/groups/default/")
    assert selectors.default_group(org=org).name == "WeChat"
    # Escape closes the list without choosing.
    field = page.get_by_role("combobox", name="Default group")
    field.fill("bulk 00")
    expect(page.get_by_role("listbox").get_by_role("option").first).to_have_text("Bulk 0000")
    field.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"
