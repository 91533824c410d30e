"""The pages: CSR profile search/view/edit/create, property access rules, export — masked like the API."""

import csv
import html
import io
import re

import pytest

from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user
from shopperdata import selectors
from shopperdata.models import Profile, PropertyDefinition

from .test_api_profiles import EXAMPLES, MASKING_TABLE

pytestmark = pytest.mark.django_db


def cell(response, code) -> str:
    """The text of the value cell of property `code` on a profile page."""
    page = response.content.decode()
    match = re.search(rf'<tr data-property="{code}"[^>]*>.*?<td class="value">(.*?)</td>', page, re.S)
    assert match, f"no row for {code}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def shown(value) -> str:
    """How the page writes a value: never null/None/True/False."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def form_data(response) -> dict:
    """What the browser would submit for the form as rendered."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        data[name] = value
    return data


@pytest.mark.parametrize("case,config,values,code,masked", MASKING_TABLE, ids=[c[0] for c in MASKING_TABLE])
def test_masking_table_through_the_page(acme, audit_role, csr, auditor, pages, configure, new_profile,
                                        case, config, values, code, masked):
    configure(acme, config)
    profile = new_profile(acme, email="ann@example.com", **values)
    r = pages(csr).get(f"/shoppers/{profile.pk}/")
    assert r.status_code == 200
    assert cell(r, code) == shown(masked)
    assert 'data-read="masked"' in r.content.decode().split(f'data-property="{code}"', 1)[1][:40]
    stored = selectors.profile_values(Profile.objects.get(pk=profile.pk))[code]
    assert cell(pages(auditor).get(f"/shoppers/{profile.pk}/"), code) == shown(stored)


def test_csr_list_and_detail_pages_show_the_mask_and_hide_loyalty_tier(demo_acme, csr, auditor, pages):
    client = pages(csr)
    r = client.get("/shoppers/")
    assert r.status_code == 200 and b"XXXXX" in r.content and b"200 in all" in r.content
    profile = Profile.objects.filter(org=demo_acme).first()
    r = client.get(f"/shoppers/{profile.pk}/")
    assert cell(r, "lastName") == "XXXXX"
    assert b'data-property="loyaltyTier"' in r.content and cell(r, "loyaltyTier") == "—"  # explained, no value
    assert profile.properties["loyaltyTier"] not in cell(r, "loyaltyTier")
    # the explainer
    text = html.unescape(r.content.decode())
    assert ("Only people with the access right ar10 may see this, and you do not have it. "
            "So it is hidden from you.") in text
    assert "So you see “XXXXX” in its place." in text
    for jargon in ("readSecurityLevel", "writeSecurityLevel", "readRole", "readAccessRight", "masking value",
                   "None", "null", "False"):
        assert jargon not in text.split("<main")[1], jargon  # plain words for customer service
    r = pages(auditor).get(f"/shoppers/{profile.pk}/")
    assert cell(r, "lastName") == profile.last_name and cell(r, "loyaltyTier") == profile.properties["loyaltyTier"]
    assert "You may see this because you have the role audit." in html.unescape(r.content.decode())


def test_csr_edit_page_sends_back_the_mask_and_changes_nothing(demo_acme, csr, pages):
    profile = Profile.objects.filter(org=demo_acme).first()
    client = pages(csr)
    r = client.get(f"/shoppers/{profile.pk}/edit/")
    assert r.status_code == 200
    data = form_data(r)
    assert data["lastName"] == "XXXXX" and "loyaltyTier" not in data
    assert 'name="lastName" value="XXXXX"' in r.content.decode() and "readonly" in r.content.decode()
    r = client.post(f"/shoppers/{profile.pk}/edit/", data, follow=True)
    assert b"Nothing changed." in r.content
    assert not AuditEvent.objects.filter(action="profile.update").exists()
    # A changed masked value is dropped (ignore), a hidden property posted anyway is not even read.
    data.update(lastName="Hacked", loyaltyTier="gold", firstName="Zed")
    r = client.post(f"/shoppers/{profile.pk}/edit/", data, follow=True)
    assert b"firstName changed" in r.content
    fresh = Profile.objects.get(pk=profile.pk)
    assert fresh.first_name == "Zed" and fresh.last_name == profile.last_name
    assert fresh.properties["loyaltyTier"] == profile.properties["loyaltyTier"]


def test_edit_page_reports_a_denied_write(acme, audit_role, csr, pages, configure, new_profile):
    configure(acme, {"c_code": {"type": "shortText", "label": "Code", "writeAccessRight": "ar10",
                                "writeSecurityLevel": "deny"}})
    profile = new_profile(acme, email="a@example.com", c_code="A-1")
    client = pages(csr)
    data = form_data(client.get(f"/shoppers/{profile.pk}/edit/"))
    assert data["c_code"] == "A-1"
    assert client.post(f"/shoppers/{profile.pk}/edit/", data).status_code == 302  # sent back unchanged
    data["c_code"] = "B-2"
    r = client.post(f"/shoppers/{profile.pk}/edit/", data)
    assert r.status_code == 403 and b"You may not change this property." in r.content
    assert Profile.objects.get(pk=profile.pk).properties["c_code"] == "A-1"


def test_edit_and_create_pages_check_values(acme, csr, pages, new_profile):
    profile = new_profile(acme, email="a@example.com")
    client = pages(csr)
    data = form_data(client.get(f"/shoppers/{profile.pk}/edit/"))
    data.update(dateOfBirth="1990-13-45")
    r = client.post(f"/shoppers/{profile.pk}/edit/", data)
    assert r.status_code == 400 and b"must be a date" in r.content
    data.update(dateOfBirth="1990-12-24", abandonedOrderCount="4", GDPRProfileP13nConsentGranted="true",
                gender="female")
    r = client.post(f"/shoppers/{profile.pk}/edit/", data)
    assert r.status_code == 302
    fresh = Profile.objects.get(pk=profile.pk)
    assert fresh.properties["dateOfBirth"] == "1990-12-24" and fresh.properties["abandonedOrderCount"] == 4
    assert fresh.properties["GDPRProfileP13nConsentGranted"] is True and fresh.properties["gender"] == "female"
    data = form_data(client.get("/shoppers/new/"))
    data.update(email="a@example.com")
    r = client.post("/shoppers/new/", data)
    assert r.status_code == 409 and b"A profile with this email exists." in r.content
    data.update(email="new@example.com", firstName="Nina")
    r = client.post("/shoppers/new/", data, follow=True)
    assert b"created" in r.content and Profile.objects.get(email="new@example.com").first_name == "Nina"


def test_search_page(demo_acme, csr, auditor, pages):
    target = Profile.objects.filter(org=demo_acme, last_name="Smith").first()
    r = pages(csr).get(f"/shoppers/?q={target.email}")
    assert r.context["page"].paginator.count == 1
    assert pages(csr).get("/shoppers/?q=Smith").context["page"].paginator.count == 0  # masked: not searched
    assert pages(auditor).get("/shoppers/?q=Smith").context["page"].paginator.count > 0
    assert b"Search looks in: Email Address, Mobile Phone Number, First Name." in pages(csr).get("/shoppers/").content


def test_other_orgs_profile_pages_are_404(demo_acme, globex_admin, pages):
    profile = Profile.objects.filter(org=demo_acme).first()
    client = pages(globex_admin)
    assert_other_org_404(client, f"/shoppers/{profile.pk}/")
    assert_other_org_404(client, f"/shoppers/{profile.pk}/edit/")
    assert_other_org_404(client, f"/shoppers/{profile.pk}/edit/", "post", {"firstName": "Hacked"})
    assert client.get("/shoppers/").context["page"].paginator.count == 0
    assert Profile.objects.get(pk=profile.pk).first_name != "Hacked"


def test_page_access(acme, csr, acme_admin, pages):
    catalog = make_user(acme, privileges=[Privilege.CATALOG])
    assert pages(catalog).get("/shoppers/").status_code == 403
    assert pages(csr).get("/shoppers/properties/").status_code == 403
    assert pages(csr).post("/shoppers/export/").status_code == 403
    nav = pages(csr).get("/").content.decode()
    assert "Shopper profiles" in nav and "Property access rules" not in nav
    assert "Property access rules" in pages(acme_admin).get("/").content.decode()
    assert pages(None).get("/shoppers/").status_code == 302


def test_export_page(demo_acme, acme_admin, pages):
    client = pages(acme_admin)
    assert b"Export CSV" in client.get("/shoppers/").content
    assert client.get("/shoppers/export/").status_code == 405
    r = client.post("/shoppers/export/")
    rows = list(csv.DictReader(io.StringIO(b"".join(r.streaming_content).decode())))
    assert len(rows) == 200 and rows[0]["lastName"] not in ("", "XXXXX")
    assert AuditEvent.objects.filter(action="profile.export", actor=acme_admin).count() == 1


def test_admin_configures_the_documents_example_on_the_page(acme, acme_admin, audit_role, pages):
    client = pages(acme_admin)
    r = client.get("/shoppers/properties/lastName/")
    assert r.status_code == 200
    data = form_data(r)
    assert "readSecurityLevel" in data
    # deny is not offered for a built-in property
    assert 'value="deny"' not in r.content.decode()
    assert r.content.decode().count('value="ignore"') == 0  # one option per behaviour, no second "ignore"
    select = r.content.decode().split('name="readSecurityLevel"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option") == 1 and "placeholder" in select
    data.update(readRole="audit", writeRole="audit", readAccessRight="ar10", writeAccessRight="ar10",
                shopperReadable="on", shopperWriteable="on", securityMaskingValue="XXXXX")
    data = {k: v for k, v in data.items() if v is not False}
    r = client.post("/shoppers/properties/lastName/", data, follow=True)
    assert b"Property lastName saved." in r.content
    prop = PropertyDefinition.objects.get(org=acme, code="lastName")
    assert (prop.read_role, prop.write_role, prop.read_access_right, prop.write_access_right,
            prop.security_masking_value) == ("audit", "audit", "ar10", "ar10", "XXXXX")
    listing = client.get("/shoppers/properties/").content.decode()
    assert "see: audit" in listing and "change: audit" in listing
    row = listing.split('data-property="lastName"', 1)[1].split("</tr>", 1)[0]
    assert "people with the role audit<br>or people whose role holds the access right ar10" in row
    assert "they see “XXXXX” instead" in row and "their change is not saved, without an error" in row
    assert "readSecurityLevel" not in row and "ignore" not in row


def test_property_page_errors_and_warning(acme, acme_admin, audit_role, pages):
    client = pages(acme_admin)
    data = form_data(client.get("/shoppers/properties/dateOfBirth/"))
    data = {k: v for k, v in data.items() if v is not False}
    data.update(readRole="audit", securityMaskingValue="XXXXX")
    r = client.post("/shoppers/properties/dateOfBirth/", data)
    assert r.status_code == 400 and b"must match the property type date" in r.content
    data.update(securityMaskingValue="1900-01-01")
    r = client.post("/shoppers/properties/dateOfBirth/", data, follow=True)
    assert b"Property dateOfBirth saved." in r.content
    assert b"could change this property without being able to read it" in r.content  # the warning
    listing = client.get("/shoppers/properties/")
    assert b"write without read" in listing.content and b"dateOfBirth: roles" in listing.content


def test_admin_adds_a_custom_property_on_the_page(acme, acme_admin, audit_role, pages):
    client = pages(acme_admin)
    base = {"label": "Tier", "shopperReadable": "on", "shopperWriteable": "on"}
    r = client.post("/shoppers/properties/new/", {**base, "id": "tier", "type": "enumerated", "values": "a, b",
                                                  "required": "on"})
    assert r.status_code == 400 and b"a required custom property needs a default" in r.content
    r = client.post("/shoppers/properties/new/", {**base, "id": "tier", "type": "enumerated", "values": "a, b",
                                                  "required": "on", "default": "b", "readAccessRight": "ar10",
                                                  "readSecurityLevel": "deny", "writeAccessRight": "ar10",
                                                  "writeSecurityLevel": "deny"}, follow=True)
    assert b"Property tier added." in r.content
    tier = PropertyDefinition.objects.get(org=acme, code="tier")
    assert tier.default == "b" and tier.read_security_level == "deny" and not tier.builtin
    r = client.post("/shoppers/properties/new/", {**base, "id": "tier", "type": "shortText"})
    assert b"A property with this id exists." in r.content


def test_profile_list_page_query_count_is_constant(acme, audit_role, csr, pages, configure, new_profile,
                                                    constant_queries):
    configure(acme, {"lastName": {"readRole": "audit", "securityMaskingValue": "XXXXX"}})
    client = pages(csr)
    new_profile(acme, email="p0@example.com", lastName="Lee")
    # 10: session, user, org, the CSR's rights and roles, property definitions, count, page, the menu's store
    # policy, and whether the org's group program offers the Members | Groups switch. (A first, unmeasured GET
    # warms the content types the store policy's lookup keeps per process.)
    r = constant_queries(client, "/shoppers/?q=example", 10, lambda: [
        new_profile(acme, email=f"p{i}@example.com", lastName="Lee") for i in range(1, 100)])
    assert r.context["page"].paginator.count == 100


@pytest.mark.parametrize("case,rules,expected", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_the_documents_three_examples_through_the_pages(acme, acme_admin, audit_role, unassigned_right, csr,
                                                         auditor, pages, new_profile, case, rules, expected):
    admin_client = pages(acme_admin)
    data = form_data(admin_client.get("/shoppers/properties/firstName/"))
    data = {k: v for k, v in data.items() if v is not False}
    data.update(rules)
    r = admin_client.post("/shoppers/properties/firstName/", data, follow=True)
    assert b"Property firstName saved." in r.content
    assert b"without being able to read it" not in r.content  # none of the examples warns
    profile = new_profile(acme, email="ann@example.com", firstName="Ann")
    users = {"csr": csr, "auditor": auditor, "admin": acme_admin}
    for name, (reads, writes) in expected.items():
        client = pages(users[name])
        assert cell(client.get(f"/shoppers/{profile.pk}/"), "firstName") == ("Ann" if reads else "—"), name
        edit = client.get(f"/shoppers/{profile.pk}/edit/")
        field = re.search(r'<input[^>]*name="firstName"[^>]*>', edit.content.decode()).group(0)
        assert ("readonly" in field) is (not writes), name
        sent = form_data(edit)
        sent["firstName"] = "Changed"
        assert client.post(f"/shoppers/{profile.pk}/edit/", sent).status_code == 302
        assert Profile.objects.get(pk=profile.pk).first_name == ("Changed" if writes else "Ann"), name
        Profile.objects.filter(pk=profile.pk).update(first_name="Ann")


def test_no_implicit_bypass_for_administrators_on_the_page(demo_acme, acme_admin, pages):
    profile = Profile.objects.filter(org=demo_acme).first()
    r = pages(acme_admin).get(f"/shoppers/{profile.pk}/")
    assert cell(r, "lastName") == "XXXXX" and cell(r, "loyaltyTier") == "—"


def test_create_page_refuses_an_empty_profile(acme, csr, pages):
    client = pages(csr)
    data = form_data(client.get("/shoppers/new/"))
    data.update(firstName="Nobody")
    r = client.post("/shoppers/new/", data)
    assert r.status_code == 400
    assert b"A profile needs an email address or a mobile number." in r.content
    assert not Profile.objects.filter(org=acme).exists()
