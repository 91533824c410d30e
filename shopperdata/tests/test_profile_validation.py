"""A bad email is refused and an empty profile is not created, on the pages and in the ccadmin API alike."""

import pytest

from accessadmin.models import AuditEvent
from shopperdata import selectors
from shopperdata.models import Profile
from shopperdata.tests.test_views import form_data

pytestmark = pytest.mark.django_db

BAD_EMAILS = ["not-an-email", "ann@", "@example.com", "ann@@example.com", "ann example@example.com"]


def _counts():
    return Profile.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("email", BAD_EMAILS)
def test_api_refuses_a_bad_email_on_create_and_update(acme, csr, api, new_profile, email):
    profile = new_profile(acme, email="ann@example.com")
    before = _counts()
    r = api(csr).post("/ccadmin/v1/profiles", {"email": email}, format="json")
    assert r.status_code == 400 and r.json()["errorCode"] == "invalid_property_value"
    assert r.json()["fields"] == {"email": ["Enter a valid email address."]}
    r = api(csr).put(f"/ccadmin/v1/profiles/{profile.pk}", {"email": email}, format="json")
    assert r.status_code == 400 and r.json()["errorCode"] == "invalid_property_value"
    assert _counts() == before and Profile.objects.get(pk=profile.pk).email == "ann@example.com"


@pytest.mark.parametrize("email", BAD_EMAILS)
def test_pages_refuse_a_bad_email_and_keep_what_was_typed(acme, csr, pages, new_profile, email):
    profile = new_profile(acme, email="ann@example.com")
    client = pages(csr)
    before = _counts()
    r = client.post("/shoppers/new/", {**form_data(client.get("/shoppers/new/")), "email": email, "firstName": "Ann"})
    assert r.status_code == 400 and "Enter a valid email address." in r.content.decode()
    assert f'value="{email}"' in r.content.decode()
    r = client.post(f"/shoppers/{profile.pk}/edit/", {**form_data(client.get(f"/shoppers/{profile.pk}/edit/")),
                                                       "email": email})
    assert r.status_code == 400 and "Enter a valid email address." in r.content.decode()
    assert _counts() == before and Profile.objects.get(pk=profile.pk).email == "ann@example.com"


def test_page_does_not_create_an_empty_profile(acme, csr, pages):
    before = _counts()
    client = pages(csr)
    r = client.post("/shoppers/new/", {**form_data(client.get("/shoppers/new/")), "email": "", "mobile": ""})
    assert r.status_code == 400
    assert "A profile needs an email address or a mobile number." in r.content.decode()
    assert _counts() == before


def test_a_read_only_yes_no_property_reads_yes_or_no_and_goes_back_unchanged(acme, csr, pages, configure,
                                                                             new_profile, audit_role):
    configure(acme, {"GDPRProfileP13nConsentGranted": {"writeRole": "audit"}})
    profile = new_profile(acme, email="ann@example.com", GDPRProfileP13nConsentGranted=True)
    client = pages(csr)
    edit = client.get(f"/shoppers/{profile.pk}/edit/").content.decode()
    field = edit.split('name="GDPRProfileP13nConsentGranted"', 1)[1].split(">", 1)[0]
    assert 'value="Yes"' in field and "readonly" in field
    detail = client.get(f"/shoppers/{profile.pk}/").content.decode()
    row = detail.split('data-property="GDPRProfileP13nConsentGranted"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="value">Yes</td>' in row and "True" not in row
    r = client.post(f"/shoppers/{profile.pk}/edit/", form_data(client.get(f"/shoppers/{profile.pk}/edit/")))
    assert r.status_code == 302  # what was shown goes back: no error, nothing changed
    assert selectors.profile_values(Profile.objects.get(pk=profile.pk))["GDPRProfileP13nConsentGranted"] is True
