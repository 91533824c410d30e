"""The list machinery in a browser: header sort, removing a filter chip, CSV download, select all and a bulk
allocation through its confirmation."""

import csv
import io

import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_org, make_user
from stores import services
from stores.models import Store

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _names(page) -> list[str]:
    return [cell.inner_text().strip() for cell in page.locator("tbody tr td:nth-child(3)").all()]


def test_sort_chips_csv_and_bulk_allocation(browser_page, login_in_browser, make_group):
    org = make_org("acme", "Acme Retail")
    make_user(org, username="acme-admin", password="demo-pass-2026", privileges=[Privilege.ADMIN])
    kiosk, wechat = make_group(org, "Kiosk"), make_group(org, "WeChat")
    for code, name, city in (("acme-s1", "banana", "Oslo"), ("acme-s2", "Apple", "Bergen"),
                             ("acme-s3", "cherry", "Oslo")):
        services.store_create(actor=None, org=org, code=code, name=name, city=city,
                              access_group=wechat if code == "acme-s1" else None)
    page = browser_page
    login_in_browser(page, "acme-admin", "demo-pass-2026")
    page.locator("aside").get_by_role("link", name="Stores").click()

    # Header sort: names ignore case; a second click turns the order round.
    page.get_by_role("link", name="Name").click()
    assert page.locator("th[aria-sort]").inner_text().startswith("Name")
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"
    assert _names(page) == ["Apple", "banana", "cherry"]
    page.get_by_role("link", name="Name").click()
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    assert _names(page) == ["cherry", "banana", "Apple"]

    # A filter becomes a chip; its × removes only that filter, the sort stays.
    page.locator("main").get_by_label("Search", exact=True).fill("oslo")
    page.get_by_role("button", name="Apply").click()
    assert " ".join(page.locator(".chip").inner_text().split()).startswith("Search: oslo")
    assert _names(page) == ["cherry", "banana"]

    # CSV of what is shown (filtered and sorted).
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("stores-") and download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as f:
        rows = list(csv.reader(io.StringIO(f.read())))
    assert rows == [["Code", "Name", "City", "Access group"], ["acme-s3", "cherry", "Oslo", ""],
                    ["acme-s1", "banana", "Oslo", "WeChat"]]

    page.get_by_role("link", name="Remove filter Search: oslo").click()
    assert page.locator(".chip").count() == 0
    assert _names(page) == ["cherry", "banana", "Apple"]

    # Select all on the page, allocate: first the confirmation says where they come from.
    page.get_by_label("Select all on this page").check()
    assert page.locator("tbody input[name=ids]:checked").count() == 3
    page.get_by_label("Select acme-s2").uncheck()
    target = page.locator("#bulk-form [role=combobox]")
    target.fill("Kio")
    page.locator("#bulk-form [role=option]", has_text="Kiosk").click()
    page.get_by_role("button", name="Review allocation…").click()
    assert page.locator("h1").inner_text() == "Allocate 2 stores to Kiosk?"
    origins = page.locator("tbody").inner_text()
    assert "WeChat" in origins and "POS" in origins and "acme-s2" not in origins
    assert not Store.objects.filter(access_group=kiosk).exists()
    page.get_by_role("button", name="Allocate 2 stores to Kiosk").click()
    assert "2 stores allocated to Kiosk." in page.locator(".messages").inner_text()
    assert set(Store.objects.filter(access_group=kiosk).values_list("code", flat=True)) == {"acme-s1", "acme-s3"}


def test_bulk_revoke_of_api_clients_asks_first(browser_page, login_in_browser, make_group, make_api_client):
    org = make_org("acme", "Acme Retail")
    make_user(org, username="acme-admin", password="demo-pass-2026", privileges=[Privilege.ADMIN])
    group = make_group(org, "Partner")
    make_api_client(org, group, name="feed one")
    make_api_client(org, group, name="feed two")
    page = browser_page
    login_in_browser(page, "acme-admin", "demo-pass-2026")
    page.goto(f"{page.base}/stores/-/api-clients/")
    page.get_by_label("Select feed one").check()
    page.get_by_role("button", name="Revoke selected…").click()
    assert page.locator("h1").inner_text() == "Revoke API clients"
    assert "feed one" in page.locator(".bulk-affected").inner_text()
    page.get_by_role("button", name="Revoke 1 API client").click()
    assert "1 API client(s) revoked: feed one." in page.locator(".messages").inner_text()
