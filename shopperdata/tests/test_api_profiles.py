"""Profiles through /ccadmin/v1: every read masked through one function, every write through one check."""

import csv
import io

import pytest

from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user
from shopperdata import selectors, services
from shopperdata.models import Profile

pytestmark = pytest.mark.django_db

PROFILES = "/ccadmin/v1/profiles"


def url(profile):
    return f"{PROFILES}/{profile.pk}"


# (case, configuration, stored values, what a reader without the role gets)
MASKING_TABLE = [
    ("not required → null", {"gender": {"readRole": "audit"}}, {"gender": "female"}, "gender", None),
    ("required with default → default",
     {"c_note": {"type": "shortText", "required": True, "default": "n/a", "readRole": "audit"}},
     {"c_note": "secret"}, "c_note", "n/a"),
    ("string → empty string", {"firstName": {"readRole": "audit", "required": True}}, {"firstName": "Ann"},
     "firstName", ""),
    ("number → 0", {"abandonedOrderCount": {"readRole": "audit", "required": True}}, {"abandonedOrderCount": 3},
     "abandonedOrderCount", 0),
    ("date → 1970-01-01", {"dateOfBirth": {"readRole": "audit", "required": True}}, {"dateOfBirth": "1980-05-05"},
     "dateOfBirth", "1970-01-01"),
    ("timestamp → 1970-01-01", {"GDPRProfileP13nConsentDate": {"readRole": "audit", "required": True}},
     {"GDPRProfileP13nConsentDate": "2024-01-02T10:00:00Z"}, "GDPRProfileP13nConsentDate",
     "1970-01-01T00:00:00.000Z"),
    ("enumeration → first value", {"gender": {"readRole": "audit", "required": True}}, {"gender": "female"},
     "gender", "male"),
    ("securityMaskingValue → custom value", {"lastName": {"readRole": "audit", "securityMaskingValue": "XXXXX"}},
     {"lastName": "Smith"}, "lastName", "XXXXX"),
]


@pytest.mark.parametrize("case,config,values,code,masked", MASKING_TABLE, ids=[c[0] for c in MASKING_TABLE])
def test_masking_table_through_the_api(acme, audit_role, csr, auditor, api, configure, new_profile,
                                       case, config, values, code, masked):
    configure(acme, config)
    profile = new_profile(acme, email="ann@example.com", **values)
    shown = api(csr).get(url(profile)).json()
    assert shown[code] == masked and type(shown[code]) is type(masked)
    stored = selectors.profile_values(Profile.objects.get(pk=profile.pk))[code]
    assert stored not in (None, masked)
    assert api(auditor).get(url(profile)).json()[code] == stored
    listed = api(csr).get(PROFILES).json()["items"][0]
    assert listed[code] == masked


def test_the_demo_csr_sees_the_documents_mask_and_no_loyalty_tier(demo_acme, csr, auditor, api):
    profile = Profile.objects.filter(org=demo_acme).first()
    shown = api(csr).get(url(profile)).json()
    assert shown["lastName"] == "XXXXX"
    assert "loyaltyTier" not in shown
    # The document's masked example: the other properties keep their values.
    assert shown["gender"] == profile.properties["gender"]
    assert shown["GDPRProfileP13nConsentGranted"] is profile.properties["GDPRProfileP13nConsentGranted"]
    assert shown["GDPRProfileP13nConsentDate"] is None
    real = api(auditor).get(url(profile)).json()
    assert real["lastName"] == profile.last_name != "XXXXX"
    assert real["loyaltyTier"] == profile.properties["loyaltyTier"]
    listing = api(csr).get(PROFILES + "?limit=250").json()
    assert listing["total"] == 200
    assert {p["lastName"] for p in listing["items"]} == {"XXXXX"}
    assert not any("loyaltyTier" in p for p in listing["items"])


def test_a_csr_sending_back_the_mask_succeeds_and_changes_nothing(demo_acme, csr, auditor, api):
    profile = Profile.objects.filter(org=demo_acme).first()
    shown = api(csr).get(url(profile)).json()
    r = api(csr).put(url(profile), shown, format="json")  # the whole answer back, "lastName": "XXXXX" included
    assert r.status_code == 200, r.json()
    assert r.json() == shown
    r = api(csr).put(url(profile), {"lastName": "XXXXX"}, format="json")
    assert r.status_code == 200 and r.json()["lastName"] == "XXXXX"
    assert Profile.objects.get(pk=profile.pk).last_name == profile.last_name
    assert not AuditEvent.objects.filter(action="profile.update").exists()


def test_write_refused_with_ignore_keeps_the_value_silently(demo_acme, csr, auditor, api):
    profile = Profile.objects.filter(org=demo_acme).first()
    r = api(csr).put(url(profile), {"lastName": "Changed", "firstName": "Zed"}, format="json")
    assert r.status_code == 200
    profile.refresh_from_db()
    assert profile.last_name != "Changed" and profile.first_name == "Zed"
    event = AuditEvent.objects.get(action="profile.update")
    assert event.after == {"firstName": "Zed"} and event.actor == csr
    # The auditor holds role audit (and ar10) and may change it.
    r = api(auditor).put(url(profile), {"lastName": "Changed"}, format="json")
    assert r.status_code == 200 and r.json()["lastName"] == "Changed"


def test_write_refused_with_deny_is_403_and_saves_nothing(demo_acme, csr, auditor, api):
    profile = Profile.objects.filter(org=demo_acme).first()
    r = api(csr).put(url(profile), {"firstName": "Zed", "loyaltyTier": "gold"}, format="json")
    assert r.status_code == 403
    assert r.json()["errorCode"] == "property_write_denied" and r.json()["status"] == "403"
    assert "loyaltyTier" in r.json()["fields"]
    profile.refresh_from_db()
    assert profile.first_name != "Zed"
    r = api(auditor).put(url(profile), {"loyaltyTier": "gold"}, format="json")
    assert r.status_code == 200 and r.json()["loyaltyTier"] == "gold"


def test_deny_allows_sending_back_the_current_value_or_the_mask(acme, audit_role, csr, api, configure, new_profile):
    configure(acme, {
        # readable by all, writable by ar10 only, deny
        "c_code": {"type": "shortText", "writeAccessRight": "ar10", "writeSecurityLevel": "deny"},
        # masked for the CSR, writable by ar10 only, deny
        "c_pin": {"type": "number", "readAccessRight": "ar10", "writeAccessRight": "ar10",
                  "writeSecurityLevel": "deny", "securityMaskingValue": -1},
    })
    profile = new_profile(acme, email="deny@example.com", c_code="A-1", c_pin=1234)
    client = api(csr)
    assert client.get(url(profile)).json()["c_code"] == "A-1"
    assert client.put(url(profile), {"c_code": "A-1"}, format="json").status_code == 200   # current value
    assert client.put(url(profile), {"c_pin": -1}, format="json").status_code == 200       # the mask
    assert client.put(url(profile), {"c_pin": -1.0}, format="json").status_code == 200     # same number
    r = client.put(url(profile), {"c_code": "B-2"}, format="json")
    assert r.status_code == 403 and r.json()["errorCode"] == "property_write_denied"
    r = client.put(url(profile), {"c_pin": 1234}, format="json")  # the real value was never shown: refused
    assert r.status_code == 403
    assert Profile.objects.get(pk=profile.pk).properties == {"c_code": "A-1", "c_pin": 1234,
                                                               "GDPRProfileP13nConsentGranted": False,
                                                               "receiveEmail": "no"}


def test_read_refused_with_deny_leaves_the_property_out(acme, audit_role, csr, auditor, api, configure,
                                                         new_profile):
    configure(acme, {"c_score": {"type": "number", "readRole": "audit", "readSecurityLevel": "deny"}})
    profile = new_profile(acme, email="score@example.com", c_score=7)
    assert "c_score" not in api(csr).get(url(profile)).json()
    assert api(auditor).get(url(profile)).json()["c_score"] == 7
    # write stays open (ignore level, no write attributes), so the CSR may set it without reading it
    assert api(csr).put(url(profile), {"c_score": 8}, format="json").status_code == 200
    assert api(auditor).get(url(profile)).json()["c_score"] == 8


def test_no_implicit_bypass_for_administrators(demo_acme, acme_admin, api):
    profile = Profile.objects.filter(org=demo_acme).first()
    shown = api(acme_admin).get(url(profile)).json()
    assert shown["lastName"] == "XXXXX" and "loyaltyTier" not in shown
    r = api(acme_admin).put(url(profile), {"loyaltyTier": "gold"}, format="json")
    assert r.status_code == 403
    explained = api(acme_admin).get(url(profile) + "/propertyAccess").json()
    last = next(i for i in explained["items"] if i["property"] == "lastName")
    assert last["read"] == "masked" and "audit" in last["readReason"]


def test_the_explainer_says_why_for_the_caller(demo_acme, csr, auditor, api):
    profile = Profile.objects.filter(org=demo_acme).first()
    body = api(csr).get(url(profile) + "/propertyAccess").json()
    assert body["user"] == "acme-csr" and body["roles"] == ["csAgentRole"]
    items = {i["property"]: i for i in body["items"]}
    assert items["firstName"]["read"] == "visible"
    assert "Anyone signed in may see this" in items["firstName"]["readReason"]
    assert items["lastName"]["read"] == "masked" and items["lastName"]["maskingValue"] == "XXXXX"
    assert items["lastName"]["write"] == "ignored"
    assert items["loyaltyTier"]["read"] == "hidden" and items["loyaltyTier"]["write"] == "denied"
    assert items["loyaltyTier"]["readDecidedBy"] == {"attribute": "readAccessRight", "accessRight": "ar10"}
    body = api(auditor).get(url(profile) + "/propertyAccess").json()
    items = {i["property"]: i for i in body["items"]}
    assert items["lastName"]["readDecidedBy"] == {"attribute": "readRole", "role": "audit"}
    assert items["loyaltyTier"]["readDecidedBy"] == {"attribute": "readAccessRight", "accessRight": "ar10",
                                                     "role": "audit"}


def test_create_search_get_update(acme, csr, api):
    client = api(csr)
    r = client.post(PROFILES, {"email": "Ann@Example.com", "mobile": "+47 912 34 567", "firstName": "Ann",
                               "lastName": "Lee", "gender": "female", "dateOfBirth": "1990-02-03"}, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["email"] == "ann@example.com" and body["mobile"] == "+4791234567"
    assert body["receiveEmail"] == "no" and body["GDPRProfileP13nConsentGranted"] is False  # defaults
    client.post(PROFILES, {"email": "bob@example.com", "firstName": "Bob", "lastName": "Lee"}, format="json")
    listing = client.get(PROFILES).json()
    assert set(listing) >= {"items", "total", "totalResults", "offset", "limit"}
    assert listing["total"] == listing["totalResults"] == 2 and listing["limit"] == 250
    assert [p["firstName"] for p in client.get(PROFILES + "?q=ann@").json()["items"]] == ["Ann"]
    assert [p["firstName"] for p in client.get(PROFILES + "?q=lee").json()["items"]] == ["Ann", "Bob"]
    assert [p["firstName"] for p in client.get(PROFILES + "?q=ann lee").json()["items"]] == ["Ann"]
    assert [p["firstName"] for p in client.get(PROFILES + "?email=BOB@example.com").json()["items"]] == ["Bob"]
    assert [p["firstName"] for p in client.get(PROFILES + "?mobile=+4791234567").json()["items"]] == ["Ann"]
    assert [p["firstName"] for p in client.get(PROFILES + "?name=bob").json()["items"]] == ["Bob"]
    r = client.get(PROFILES + "?limit=1&offset=1").json()
    assert [p["firstName"] for p in r["items"]] == ["Bob"] and r["total"] == 2
    pid = body["id"]
    r = client.put(f"{PROFILES}/{pid}", {"dateOfBirth": "1990-02-04", "abandonedOrderCount": 2}, format="json")
    assert r.status_code == 200 and r.json()["dateOfBirth"] == "1990-02-04" and r.json()["abandonedOrderCount"] == 2
    assert client.get(f"{PROFILES}/{pid}").json()["firstName"] == "Ann"


@pytest.mark.parametrize("payload,status,code", [
    ({"email": "not-an-email"}, 400, "invalid_property_value"),
    ({"email": "taken@example.com"}, 409, "duplicate_email"),
    ({"mobile": "+1 555 0100"}, 409, "duplicate_mobile"),
    ({"favouriteColour": "red"}, 400, "unknown_property"),
    ({"dateOfBirth": "yesterday"}, 400, "invalid_property_value"),
    ({"gender": "robot"}, 400, "invalid_property_value"),
    ({"abandonedOrderCount": "3"}, 400, "invalid_property_value"),
    ({"GDPRProfileP13nConsentGranted": "yes"}, 400, "invalid_property_value"),
    ({"receiveEmail": None}, 400, "required_property_missing"),
])
def test_bad_profile_input_has_stable_codes_and_changes_nothing(acme, csr, api, new_profile, payload, status,
                                                                 code):
    new_profile(acme, email="taken@example.com", mobile="+15550100")
    before = Profile.objects.count()
    r = api(csr).post(PROFILES, {"firstName": "X", **payload}, format="json")
    assert r.status_code == status and r.json()["errorCode"] == code, r.json()
    assert Profile.objects.count() == before
    other = new_profile(acme, email="other@example.com")
    r = api(csr).put(url(other), {"firstName": "Y", **payload}, format="json")
    assert r.status_code == status and r.json()["errorCode"] == code
    assert Profile.objects.get(pk=other.pk).first_name is None


def test_create_applies_the_write_rules(demo_acme, csr, auditor, api):
    r = api(csr).post(PROFILES, {"email": "new@example.com", "lastName": "Hidden"}, format="json")
    assert r.status_code == 201 and r.json()["lastName"] == "XXXXX"
    created = Profile.objects.get(email="new@example.com")
    assert created.last_name is None  # ignored: the CSR may not write lastName
    assert created.properties["loyaltyTier"] == "bronze"  # the default
    r = api(csr).post(PROFILES, {"email": "new2@example.com", "loyaltyTier": "gold"}, format="json")
    assert r.status_code == 403 and r.json()["errorCode"] == "property_write_denied"
    r = api(csr).post(PROFILES, {"email": "new3@example.com", "lastName": "XXXXX"}, format="json")
    assert r.status_code == 201 and Profile.objects.get(email="new3@example.com").last_name is None
    r = api(auditor).post(PROFILES, {"email": "new4@example.com", "lastName": "Real", "loyaltyTier": "gold"},
                          format="json")
    assert r.json()["lastName"] == "Real" and r.json()["loyaltyTier"] == "gold"


def test_search_does_not_reveal_masked_values(demo_acme, csr, auditor, api):
    target = Profile.objects.filter(org=demo_acme, last_name="Smith").first()
    assert api(csr).get(PROFILES + "?name=Smith").json()["total"] == 0
    assert api(csr).get(PROFILES + "?q=Smith").json()["total"] == 0
    found = api(auditor).get(PROFILES + "?name=Smith").json()
    assert found["total"] > 0 and target.pk in [int(p["id"]) for p in found["items"]]
    # readable properties still work for the CSR
    assert api(csr).get(PROFILES + f"?email={target.email}").json()["total"] == 1


def test_audit_log_does_not_copy_restricted_values(demo_acme, auditor, api):
    profile = Profile.objects.filter(org=demo_acme).first()
    api(auditor).put(url(profile), {"lastName": "Secret", "firstName": "Open"}, format="json")
    event = AuditEvent.objects.get(action="profile.update")
    assert event.after == {"firstName": "Open", "lastName": "(restricted)"}
    assert "Secret" not in str(event.before) + str(event.after) + event.target_repr


def test_other_orgs_profiles_are_404(demo_acme, globex_admin, api):
    profile = Profile.objects.filter(org=demo_acme).first()
    client = api(globex_admin)
    assert_other_org_404(client, url(profile))
    assert_other_org_404(client, url(profile), "put", {"firstName": "Hacked"}, format="json")
    assert_other_org_404(client, url(profile) + "/propertyAccess")
    assert client.get(PROFILES).json()["total"] == 0
    assert client.get(PROFILES + f"?email={profile.email}").json()["total"] == 0
    assert b"example.com" not in b"".join(client.get("/ccadmin/v1/profileExport").streaming_content).split(
        b"\n", 1)[1]
    assert Profile.objects.get(pk=profile.pk).first_name != "Hacked"
    assert_other_org_404(client, f"{PROFILES}/999999")


def test_only_cs_agents_and_administrators_use_profiles(acme, api, new_profile):
    profile = new_profile(acme, email="a@example.com")
    catalog = make_user(acme, privileges=[Privilege.CATALOG])
    for call in (lambda c: c.get(PROFILES), lambda c: c.get(url(profile)),
                 lambda c: c.put(url(profile), {}, format="json"), lambda c: c.post(PROFILES, {}, format="json")):
        r = call(api(catalog))
        assert r.status_code == 403 and r.json()["errorCode"] == "permission_denied"
    assert api(None).get(PROFILES).status_code == 401


def test_system_export_is_unmasked_admin_only_and_audited(demo_acme, acme_admin, csr, api):
    r = api(csr).get("/ccadmin/v1/profileExport")
    assert r.status_code == 403
    r = api(acme_admin).get("/ccadmin/v1/profileExport")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(r.streaming_content).decode())))
    assert len(rows) == 200
    first = Profile.objects.filter(org=demo_acme).order_by("id").first()
    assert rows[0]["lastName"] == first.last_name and rows[0]["loyaltyTier"] == first.properties["loyaltyTier"]
    event = AuditEvent.objects.get(action="profile.export")
    assert event.actor == acme_admin and event.after["profiles"] == 200


def test_export_neutralises_spreadsheet_formulas(acme, acme_admin, api, new_profile):
    new_profile(acme, email="f@example.com", firstName="=HYPERLINK(\"x\")", mobile="+4712345678")
    rows = list(csv.DictReader(io.StringIO(
        b"".join(api(acme_admin).get("/ccadmin/v1/profileExport").streaming_content).decode())))
    assert rows[0]["firstName"] == "'=HYPERLINK(\"x\")" and rows[0]["mobile"] == "+4712345678"


def test_system_integrations_are_unmasked_and_find_customers(demo_acme):
    """actor=None is how another app (the till API) reads and writes: no masking, no write rules."""
    profile = Profile.objects.filter(org=demo_acme).first()
    plan = selectors.plan_for(actor=None, org=demo_acme)
    from shopperdata.masking import present

    shown = present(selectors.profile_values(profile), plan)
    assert shown["lastName"] == profile.last_name and shown["loyaltyTier"] == profile.properties["loyaltyTier"]
    services.profile_update(actor=None, profile=profile, values={"lastName": "Till", "loyaltyTier": "gold"})
    assert selectors.profile_find(org=demo_acme, email=profile.email.upper()).last_name == "Till"
    assert selectors.profile_find(org=demo_acme, mobile=profile.mobile).pk == profile.pk
    created = services.profile_create(actor=None, org=demo_acme, values={"mobile": "+47 400 00 001"}).profile
    assert selectors.profile_find(org=demo_acme, mobile="+4740000001").pk == created.pk


def _seed(org, n, new_profile):
    for i in range(n):
        new_profile(org, email=f"p{i}@example.com", firstName=f"Pat{i}", lastName="Lee", gender="female")


@pytest.mark.parametrize("query", ["", "?q=lee", "?name=pat", "?q=example.com"])
def test_profile_list_and_search_query_counts_are_constant(acme, audit_role, csr, api, configure, new_profile,
                                                           django_assert_num_queries, query):
    configure(acme, {"lastName": {"readRole": "audit", "securityMaskingValue": "XXXXX"},
                     "c_tier": {"type": "enumerated", "values": ["a", "b"], "required": True, "default": "a",
                                "readRole": "audit", "readSecurityLevel": "deny"}})
    auditor = make_user(acme, privileges=[Privilege.CS_AGENT], roles=["audit"])
    client = api(auditor)
    _seed(acme, 1, new_profile)
    # token + user, access rights, properties, viewer roles, count, page
    with django_assert_num_queries(6) as one:
        r = client.get(PROFILES + query)
    assert r.json()["total"] == 1
    _seed_more = [new_profile(acme, email=f"q{i}@example.com", firstName=f"Pat{i}", lastName="Lee")
                  for i in range(99)]
    assert len(_seed_more) == 99
    with django_assert_num_queries(6) as many:
        r = client.get(PROFILES + query)
    assert r.json()["total"] == 100 and len(r.json()["items"]) == 100
    assert len(many.captured_queries) == len(one.captured_queries)


# The document's "Here are some examples": (rules on firstName, then per user: (reads?, writes?)).
EXAMPLES = [
    ("all read, only administrators write", {"writeRole": "adminRole"},
     {"csr": (True, False), "auditor": (True, False), "admin": (True, True)}),
    ("nobody writes (an access right no role holds), audit reads",
     {"writeAccessRight": "unassignedRight", "readRole": "audit"},
     {"csr": (False, False), "auditor": (True, False), "admin": (False, False)}),
    ("one role reads and writes, nobody else either", {"writeRole": "audit", "readRole": "audit"},
     {"csr": (False, False), "auditor": (True, True), "admin": (False, False)}),
]


@pytest.mark.parametrize("case,rules,expected", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_the_documents_three_examples_through_the_api(acme, acme_admin, audit_role, unassigned_right, csr,
                                                       auditor, api, new_profile, case, rules, expected):
    r = api(acme_admin).put("/ccadmin/v1/shopperTypes/user", {"properties": {"firstName": rules}}, format="json",
                            HTTP_X_CCASSET_LANGUAGE="en")
    assert r.status_code == 200 and r.json()["warnings"] == []
    profile = new_profile(acme, email="ann@example.com", firstName="Ann")
    users = {"csr": csr, "auditor": auditor, "admin": acme_admin}
    for name, (reads, writes) in expected.items():
        client = api(users[name])
        assert client.get(url(profile)).json()["firstName"] == ("Ann" if reads else None), name
        assert client.put(url(profile), {"firstName": "Changed"}, format="json").status_code == 200
        stored = Profile.objects.get(pk=profile.pk).first_name
        assert stored == ("Changed" if writes else "Ann"), name
        Profile.objects.filter(pk=profile.pk).update(first_name="Ann")


@pytest.mark.parametrize("body", [{}, {"firstName": "Ann", "lastName": "Lee"}, {"email": "", "mobile": ""},
                                  {"email": None, "mobile": None}, {"id": "p1", "links": []}])
def test_a_profile_without_an_email_or_mobile_is_refused(acme, csr, api, body):
    before = (Profile.objects.count(), AuditEvent.objects.count())
    r = api(csr).post(PROFILES, body, format="json")
    assert r.status_code == 400, r.json()
    assert r.json()["errorCode"] == "identifier_required"
    assert set(r.json()["fields"]) == {"email", "mobile"}
    assert (Profile.objects.count(), AuditEvent.objects.count()) == before


def test_one_identifier_is_enough_and_the_last_one_cannot_be_removed(acme, csr, api):
    client = api(csr)
    by_mobile = client.post(PROFILES, {"mobile": "+47 400 00 002"}, format="json")
    assert by_mobile.status_code == 201, by_mobile.json()
    created = client.post(PROFILES, {"email": "only@example.com"}, format="json")
    assert created.status_code == 201
    profile = Profile.objects.get(pk=created.json()["id"])
    r = client.put(url(profile), {"email": None}, format="json")
    assert r.status_code == 400 and r.json()["errorCode"] == "identifier_required"
    assert Profile.objects.get(pk=profile.pk).email == "only@example.com"
    r = client.put(url(profile), {"email": None, "mobile": "+47 400 00 003"}, format="json")
    assert r.status_code == 200 and r.json()["mobile"] == "+4740000003" and r.json()["email"] is None


def test_a_property_in_another_casing_is_named_in_the_answer(acme, csr, api):
    r = api(csr).post(PROFILES, {"email": "case@example.com", "first_name": "Ann"}, format="json")
    assert r.status_code == 400 and r.json()["errorCode"] == "unknown_property"
    assert "firstName" in r.json()["message"]
    assert not Profile.objects.filter(email="case@example.com").exists()


def test_a_json_number_is_not_a_name(acme, csr, api):
    r = api(csr).post(PROFILES, {"email": "num@example.com", "firstName": 12}, format="json")
    assert r.status_code == 400 and r.json()["errorCode"] == "invalid_property_value"
    assert not Profile.objects.filter(email="num@example.com").exists()
