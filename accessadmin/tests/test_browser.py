import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_signs_in_and_sees_the_dashboard_on_desktop_and_narrow(browser_page, login_in_browser):
    org = make_org("acme", "Acme Retail")
    make_user(org, username="acme-admin", password="demo-pass-2026", privileges=[Privilege.ADMIN])
    page = browser_page
    login_in_browser(page, "acme-admin", "demo-pass-2026")
    assert page.locator("h1").inner_text() == "Acme Retail"
    page.get_by_role("link", name="Users", exact=True).first.click()
    assert page.locator("h1").inner_text() == "Users"
    assert page.locator("td a", has_text="acme-admin").count() == 1
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{page.base}/")
    # The menu folds away on a narrow screen and opens on demand.
    menu_link = page.locator("aside").get_by_role("link", name="Roles", exact=True)
    assert not menu_link.is_visible()
    page.locator("details.nav-toggle summary").click()
    assert menu_link.is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{page.base}/login/")


def test_wrong_password_shows_an_error(browser_page):
    make_org("acme")
    page = browser_page
    page.goto(f"{page.base}/login/")
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "whatever-123")
    page.click("button[type=submit]")
    assert "Invalid username or password." in page.locator("[role=alert]").first.inner_text()
