"""Browser flows: rotating a till's secret, deactivating a till, revoking an API client and switching Basic
auth off each ask first and say what they affect; cancelling changes nothing."""

import base64

import pytest
from django.test import Client

from accessadmin.models import Org
from accessadmin.privileges import Privilege
from accessadmin.testing import make_org, make_user
from groups.builtins import POS
from stores.models import ApiClient, Till

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-2026"
SECRET = "till-secret-for-browser"


@pytest.fixture
def acme_in_browser(browser_page, login_in_browser):
    org = make_org("acme", "Acme Retail")
    make_user(org, username="acme-admin", password=PASSWORD, privileges=[Privilege.ADMIN])
    login_in_browser(browser_page, "acme-admin", PASSWORD)
    return org, browser_page


def _till_status(code: str, secret: str) -> int:
    auth = base64.b64encode(f"{code}:{secret}".encode()).decode()
    return Client().get("/v2/customers?email=x@example.com", HTTP_AUTHORIZATION=f"Basic {auth}").status_code


def test_rotating_a_secret_asks_first_names_the_till_and_ends_the_old_secret(acme_in_browser, make_store,
                                                                           make_till):
    org, page = acme_in_browser
    till = make_till(org, make_store(org, "acme-s001"), code="acme-s001-t1", secret=SECRET)
    assert _till_status(till.code, SECRET) == 200
    page.goto(f"{page.base}/stores/-/tills/{till.code}/")
    page.get_by_role("button", name="Rotate secret…").click()
    assert page.locator("h1").inner_text() == "Rotate the secret of till acme-s001-t1?"
    assert "stops working at once" in page.locator("main").inner_text()
    page.get_by_role("link", name="Cancel").click()  # cancelling changes nothing
    assert _till_status(till.code, SECRET) == 200
    page.get_by_role("button", name="Rotate secret…").click()
    page.get_by_role("button", name="Rotate secret").click()
    assert "The old secret has stopped working." in page.locator("main").inner_text()
    new_secret = page.locator("#till-secret").inner_text().strip()
    assert new_secret and new_secret != SECRET
    assert _till_status(till.code, SECRET) == 401  # the old secret stopped working at once
    assert _till_status(till.code, new_secret) == 200

    page.goto(f"{page.base}/stores/-/tills/{till.code}/")
    page.get_by_role("button", name="Deactivate…").click()
    assert "gets 401 from its next request on" in page.locator("main").inner_text()
    page.get_by_role("button", name="Deactivate").click()
    assert "Till acme-s001-t1 deactivated." in page.locator(".messages").inner_text()
    assert not Till.objects.get(code=till.code).is_active


def test_revoking_an_api_client_asks_first(acme_in_browser, make_api_client, builtin):
    org, page = acme_in_browser
    client, _secret = make_api_client(org, builtin(POS), name="Webshop")
    page.goto(f"{page.base}/stores/-/api-clients/")
    page.get_by_role("button", name="Revoke…").click()
    assert page.locator("h1").inner_text() == "Revoke the API client Webshop?"
    assert client.client_id in page.locator("main").inner_text()
    page.get_by_role("button", name="Revoke").click()
    assert "API client Webshop revoked" in page.locator(".messages").inner_text()
    assert not ApiClient.objects.get(pk=client.pk).is_active


def test_switching_basic_auth_off_says_how_many_tills_fail_and_asks(acme_in_browser, make_store, make_till):
    org, page = acme_in_browser
    store = make_store(org, "acme-s001")
    for n in (1, 2):
        till = make_till(org, store, code=f"acme-s001-t{n}", secret=SECRET)
        assert _till_status(till.code, SECRET) == 200  # seen with Basic auth
    page.goto(f"{page.base}/stores/-/enforcement/")
    page.get_by_label("Tills may authenticate with HTTP Basic").uncheck()
    page.get_by_role("button", name="Save").click()
    assert page.locator("h1").inner_text() == "Switch Basic auth off for Acme Retail?"
    text = page.locator("main").inner_text()
    assert "2 active tills used Basic auth in the last 30 days" in text
    assert Org.objects.get(pk=org.pk).basic_auth_enabled  # nothing saved yet
    page.get_by_role("button", name="Switch Basic auth off").click()
    assert "Enforcement settings saved." in page.locator(".messages").inner_text()
    assert not Org.objects.get(pk=org.pk).basic_auth_enabled
    assert _till_status("acme-s001-t1", SECRET) == 401
