"""axe-core (static/vendor/axe-core, loaded by this test only) finds no serious or critical accessibility
violation on any page of the demo, for every demo login: the pages of the menu and the header, the first
detail page of each list, and the forms their "New …" buttons open.

The Django admin (/admin/) and Swagger UI (/api/docs/) are third-party pages and not crawled."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from accessadmin.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
DEMO_LOGINS = ["platform", "acme-admin", "acme-csr", "acme-auditor", "acme-catalog", "globex-admin"]
NOT_OURS = ("/admin/", "/api/", "/static/", "/logout/", "/ccadmin/", "/oauth/", "/v2/", "/authz/")
FILES = (".csv", ".json", ".md", ".txt", ".asc", ".pgp")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => ["serious", "critical"].includes(v.impact))
    .map(v => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")}`);
}"""


def ours(href: str | None) -> str | None:
    """Returns the path (and query) of a link to one of our pages, else None."""
    if not href or href.startswith(("#", "mailto:", "javascript:")):
        return None
    parts = urlsplit(href)
    if parts.netloc and not parts.netloc.startswith(("localhost", "127.0.0.1")):
        return None
    if parts.path.startswith(NOT_OURS) or not parts.path.startswith("/"):
        return None
    if parts.path.endswith(FILES) or "export" in parts.path or "format=csv" in parts.query:
        return None  # downloads, not pages
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def axe_page(_chromium, live_server):
    """A page whose context may inject axe-core (an inline script under the site's policy)."""
    context = _chromium.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    context.close()


def check(page, path: str) -> list[str]:
    """Opens `path`, runs axe, returns its serious and critical violations."""
    response = page.goto(f"{page.base}{path}")
    assert response is not None and response.status < 500, f"{path}: {response and response.status}"
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{page.base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    if urlsplit(page.url).path == "/org/switch/":
        page.get_by_label("Organization").select_option("acme")
        page.get_by_role("button", name="Work in this organization").click()
        page.wait_for_url(f"{page.base}/")


def links(page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    return [p for p in (ours(h) for h in hrefs) if p]


def test_no_serious_violation_on_any_demo_page_for_any_demo_login(axe_page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process
    page = axe_page
    found: dict[str, list[str]] = {}
    visited_total = 0
    crawled: set[tuple[str, ...]] = set()
    assert check(page, "/login/") == [], "the login page"
    # The check can fail: an image without a text alternative is a critical violation.
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', "
                  "'<img src=\"/static/img/favicon.svg\">')")
    assert any(v.startswith("critical image-alt") for v in page.evaluate(RUN_AXE))
    for username in DEMO_LOGINS:
        sign_in(page, username)
        sidenav = links(page, "aside nav a")
        menu = sidenav + links(page, "header a") + ["/search/?q=s", "/no-such-page/"]
        assert len(menu) >= 3, f"{username} has no menu"
        # A login whose menu another login had (platform in acme, globex-admin: the same pages as acme-admin,
        # other rows) gets its own menu pages checked; their detail pages and forms were checked already.
        deep = tuple(sidenav) not in crawled
        crawled.add(tuple(sidenav))
        seen: set[str] = set()
        queue = list(dict.fromkeys(menu))
        while queue:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            violations = check(page, path)
            if violations:
                found[f"{username} {path}"] = violations
            if deep and path in menu:
                # One detail page per list, and the forms behind the page's own buttons.
                details = links(page, "main table tbody a:not([download])")
                current = urlsplit(path).path
                details = [d for d in details if urlsplit(d).path != current][:1]
                forms = links(page, "main .page-head a:not([download])")
                queue.extend(d for d in details + forms if d not in seen)
        visited_total += len(seen)
    assert visited_total >= 40
    report = "\n".join(f"{where}:\n  " + "\n  ".join(v) for where, v in found.items())
    assert not found, f"axe found serious or critical violations:\n{report}"
