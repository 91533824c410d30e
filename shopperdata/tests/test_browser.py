import pytest

from accessadmin.demo import DEMO_PASSWORD
from accessadmin.demo import seed as core_seed
from shopperdata import demo
from shopperdata.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_csr_searches_views_the_masked_profile_and_saves_it_back(browser_page, login_in_browser):
    orgs = core_seed()
    demo.seed(orgs=orgs)
    profile = Profile.objects.filter(org=orgs["acme"]).order_by("id").first()
    page = browser_page
    login_in_browser(page, "acme-csr", DEMO_PASSWORD)
    page.get_by_role("link", name="Shopper profiles").first.click()
    page.locator("main").get_by_role("searchbox").fill(profile.email)  # the list's own, not the header's
    page.locator("main").get_by_role("button", name="Apply").click()
    assert page.locator("td[data-property=lastName]").all_inner_texts() == ["XXXXX"]
    page.locator("td a", has_text=str(profile.pk)).click()
    assert page.locator("h1").inner_text() == f"Profile {profile.pk}"
    assert page.locator("tr[data-property=lastName] td.value").inner_text() == "XXXXX"
    assert page.locator("tr[data-property=loyaltyTier] td.value").inner_text() == "—"
    assert "hidden from you" in page.locator("tr[data-property=loyaltyTier]").inner_text()
    page.get_by_role("button", name="Edit").click()
    last = page.get_by_label("Last Name")
    assert last.input_value() == "XXXXX" and last.get_attribute("readonly") is not None
    page.get_by_label("First Name").fill("Renamed")
    page.get_by_role("button", name="Save").click()
    assert "firstName changed" in page.locator(".messages").inner_text()
    profile_after = Profile.objects.get(pk=profile.pk)
    assert profile_after.first_name == "Renamed" and profile_after.last_name == profile.last_name
