"""The audit log in a browser at 1366 px: compact (one page of changes stays short) and filters as chips."""

import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_org, make_user
from groups import selectors as group_selectors
from groups import services as group_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_audit_page_is_compact_and_filters_by_action(browser_page, login_in_browser):
    org = make_org("acme", "Acme Retail")
    admin = make_user(org, username="acme-admin", password="demo-pass-2026", privileges=[Privilege.ADMIN])
    every_cell = frozenset((r.key, api, perm) for r in group_selectors.resource_list()
                           for api in ("data", "config") for perm in ("read", "write"))
    for i in range(3):
        group, _ = group_services.group_create(actor=admin, org=org, name=f"Wide {i}", grants=every_cell,
                                               description="A long description of what this group is for. " * 5)
        group_services.group_update(actor=admin, org=org, group=group, name=f"Wide {i} renamed",
                                    description="Shorter.", grants=frozenset())
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    login_in_browser(page, "acme-admin", "demo-pass-2026")
    page.goto(f"{page.base}/audit/")
    assert page.locator("tbody tr").count() == 25  # one page by default
    height = page.evaluate("document.documentElement.scrollHeight")
    row = page.evaluate("Math.max(...[...document.querySelectorAll('tbody tr')].map(r => r.offsetHeight))")
    print(f"audit page at 1366 px: {height} px for 25 rows, the tallest row {row} px")
    # Each change is a line per changed value, long ones fold: no row is taller than a few lines.
    assert height < 2600 and row < 120, (height, row)
    page.locator("#id_action").select_option(label="Access group changed")
    page.get_by_role("button", name="Apply").click()
    assert " ".join(page.locator(".chip").inner_text().split()).startswith("Action: Access group changed")
    assert page.locator("tbody tr").count() == 3
    # a long change folds: the description row is inside the row, before → after
    assert "Wide 0 renamed" in page.locator("tbody").inner_text()
    page.get_by_role("link", name="Remove filter Action: Access group changed").click()
    assert page.locator(".chip").count() == 0
