"""Under the strict Content-Security-Policy, headless Chromium reports no violation on any page of the
menu (and the forms behind it), and the API docs (Swagger UI) still render."""

import pytest

from accessadmin.demo import DEMO_PASSWORD
from accessadmin.models import User
from accessadmin.privileges import Privilege
from accessadmin.testing import make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered before any page script runs (and not subject to the policy itself).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(browser_page):
    """The browser page, with `watched.violations()` → every CSP violation seen so far (console and DOM)."""
    page = browser_page
    seen = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)

    def violations():
        return seen + page.evaluate("window.__csp || []")

    page.violations = violations
    return page


def visit(page, path: str) -> list[str]:
    """Opens `path` (which must carry the policy) and returns the violations seen so far."""
    response = page.goto(f"{page.base}{path}")
    assert "script-src 'self'" in response.headers.get("content-security-policy", ""), path
    page.wait_for_load_state("load")
    return page.violations()


def test_no_page_of_the_menu_breaks_the_policy(watched, login_in_browser):
    org = make_org("acme", "Acme Retail")
    make_user(org, username="acme-admin", password=DEMO_PASSWORD, privileges=[Privilege.ADMIN])
    page = watched
    assert visit(page, "/login/") == []
    login_in_browser(page, "acme-admin", DEMO_PASSWORD)
    links = page.eval_on_selector_all("aside nav a", "els => els.map(e => e.getAttribute('href'))")
    assert len(links) >= 10
    forms = ["/users/new/", "/roles/new/", "/access-rights/new/", "/groups/new/", "/stores/-/tills/new/",
             "/stores/-/api-clients/new/"]
    for path in dict.fromkeys(links + forms):
        assert visit(page, path) == [], path
    # The app's own script runs: the tabs of the group form switch panels.
    page.goto(f"{page.base}/groups/new/")
    page.get_by_role("tab", name="Config APIs").click()
    assert page.locator("#panel-config").is_visible() and not page.locator("#panel-data").is_visible()
    assert page.violations() == []
    # And the policy bites: an inline event handler slipped into the page does not run.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=\"/static/none.png\" "
                  "onerror=\"window.ran = 1\">')")
    page.wait_for_timeout(300)
    assert page.evaluate("window.ran") is None
    assert any("script-src" in v for v in page.violations())


def test_the_django_admin_and_the_org_switch_keep_the_policy(watched):
    make_org("acme", "Acme Retail")
    make_user(None, username="platform", password=DEMO_PASSWORD, is_staff=True, is_superuser=True)
    page = watched
    visit(page, "/login/")
    page.fill("input[name=username]", "platform")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/org/switch/")
    platform = User.objects.get(username="platform")
    for path in ("/org/switch/", "/admin/", "/admin/accessadmin/user/", "/admin/accessadmin/user/add/",
                 f"/admin/accessadmin/user/{platform.pk}/change/", "/admin/accessadmin/org/add/",
                 "/admin/stores/till/"):
        assert visit(page, path) == [], path


def test_the_api_docs_render_under_the_policy(watched):
    page = watched
    visit(page, "/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "accessadmin API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock").first.wait_for()
    # With 150 operations and tags or more, Swagger UI (5.33) renders only those near the viewport: the first
    # ones now, the till API's (the last tag) once scrolled to the end.
    assert page.locator(".opblock").count() >= 10
    for _ in range(40):
        page.mouse.wheel(0, 5000)
        page.wait_for_timeout(100)
        if page.locator(".opblock-tag", has_text="till API").count():
            break
    page.locator(".opblock-summary-path", has_text="/v2/").first.wait_for()
    assert page.locator(".opblock-summary-path", has_text="/v2/").count() >= 5
    assert page.violations() == []
