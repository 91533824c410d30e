"""In headless Chromium: the header's search answers as you type and is keyboard driven; a secret shown once
is copied to the clipboard by its Copy button; an unknown page shows the layout's 404."""

from pathlib import Path

import pytest
from django.conf import settings

from accessadmin.demo import DEMO_PASSWORD
from accessadmin.privileges import Privilege
from accessadmin.testing import make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
SERIOUS_VIOLATIONS = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
  .filter(v => ["serious", "critical"].includes(v.impact)).map(v => v.id + ": " + v.help)"""


@pytest.fixture
def acme_in_browser(browser_page, login_in_browser):
    org = make_org("acme", "Acme Retail")
    make_user(org, username="acme-admin", password=DEMO_PASSWORD, privileges=[Privilege.ADMIN])
    login_in_browser(browser_page, "acme-admin", DEMO_PASSWORD)
    browser_page.org = org
    return browser_page


def test_global_search_answers_as_you_type(acme_in_browser, make_group, make_store):
    page = acme_in_browser
    group = make_group(page.org, "Northwind")
    make_store(page.org, code="acme-north1")
    box = page.get_by_role("searchbox", name="Search access groups, stores, tills, customers, users")
    box.press_sequentially("north", delay=30)
    results = page.locator("#global-search-results")
    results.get_by_role("link", name="Northwind").wait_for()
    assert results.get_by_role("heading", name="Access groups").is_visible()
    assert results.get_by_role("link", name="acme-north1 · Store acme-north1").is_visible()
    # Screen readers hear how many were found; the open dropdown passes axe-core.
    assert page.locator("#global-search-status").text_content() == "2 results for north"
    page.evaluate(AXE.read_text())  # evaluated by the test, not a script of the page (the policy stays strict)
    assert page.evaluate(SERIOUS_VIOLATIONS) == []
    # Arrows walk the hits, Escape closes them and returns to the box.
    box.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"/groups/{group.pk}/"
    page.keyboard.press("ArrowDown")
    assert "acme-north1" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "global-search-q"
    page.keyboard.press("Escape")
    assert results.inner_html().strip() == ""
    # Enter on a hit opens it; Enter in the box opens the results page.
    box.fill("")
    box.press_sequentially("northw", delay=30)
    results.get_by_role("link", name="Northwind").wait_for()
    box.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{page.base}/groups/{group.pk}/")
    page.locator("#global-search-q").fill("nothing-like-it")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{page.base}/search/?q=nothing-like-it")
    assert page.get_by_text("Nothing found for “nothing-like-it”.").is_visible()


def test_the_copy_button_puts_the_secret_in_the_clipboard(acme_in_browser, make_store):
    page = acme_in_browser
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.base)
    make_store(page.org, code="acme-s001")
    page.goto(f"{page.base}/stores/-/tills/new/?store=acme-s001")
    page.get_by_role("button", name="Create till").click()
    page.get_by_role("heading", name="Till acme-s001-t1 created").wait_for()
    assert page.get_by_text("it will not be shown again").is_visible()
    secret = page.locator("#till-secret").text_content().strip()
    assert len(secret) >= 20
    page.get_by_role("button", name="Copy").click()
    status = page.locator("#till-secret-status")
    status.filter(has_text="Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == secret


def test_an_unknown_page_shows_the_layout(acme_in_browser, settings):
    page = acme_in_browser
    settings.DEBUG = True
    response = page.goto(f"{page.base}/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert page.get_by_role("link", name="Go to the dashboard").is_visible()


def test_pages_do_not_scroll_sideways_on_a_phone(acme_in_browser, make_stores):
    page = acme_in_browser
    make_stores(page.org, 3)
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/", "/groups/new/", "/stores/", "/stores/-/tills/", "/audit/", "/users/", "/search/?q=s"):
        page.goto(f"{page.base}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    # The wide tables scroll inside their card instead.
    page.goto(f"{page.base}/groups/new/")
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
