import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_org, make_user

from ..demo import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_catalog_user_edits_only_what_criteria_allow(browser_page, login_in_browser):
    acme = make_org("acme", "Acme Retail")
    make_user(acme, username="acme-admin", privileges=[Privilege.ADMIN])
    make_user(acme, username="acme-catalog", password="demo-pass-2026", privileges=[Privilege.CATALOG])
    seed(orgs={"acme": acme})
    page = browser_page
    login_in_browser(page, "acme-catalog", "demo-pass-2026")
    page.goto(f"{page.base}/catalog/catalogs/")
    assert page.locator("h1").inner_text() == "Catalogs"
    row = page.locator("tr", has_text="ApparelCatalog")
    assert row.locator("[data-editable=no]").count() == 1
    row.get_by_role("link", name="why?").click()
    assert "Refused" in page.locator("#verdict").inner_text()
    assert "homeGoodsCatalogGrant" in page.locator("table").inner_text()
    page.goto(f"{page.base}/catalog/catalogs/HomeGoodsCatalog/")
    page.fill("input[name=display_name]", "Home & Garden")
    page.get_by_role("button", name="Save").click()
    assert "Catalog HomeGoodsCatalog saved." in page.locator(".messages").inner_text()
    assert "Home & Garden" in page.locator("tr", has_text="HomeGoodsCatalog").inner_text()
