"""GET/PUT /ccadmin/v1/shopperTypes/user: the document's example, custom properties, every validation rule."""

import pytest

from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user
from shopperdata.models import PropertyDefinition

pytestmark = pytest.mark.django_db

URL = "/ccadmin/v1/shopperTypes/user"

# The document's example request, as it stands.
DOC_REQUEST = {
    "properties": {
        "lastName": {
            "readRole": "audit",
            "writeRole": "audit",
            "readAccessRight": "ar10",
            "writeAccessRight": "ar10",
            "shopperReadable": True,
            "shopperWriteable": True,
            "securityMaskingValue": "XXXXX",
        }
    }
}

# The document's response for lastName, as it stands.
DOC_RESPONSE_LAST_NAME = {
    "shopperWriteable": True,
    "readRole": "audit",
    "readSecurityLevel": None,
    "readAccessRight": "ar10",
    "securityMaskingValue": "XXXXX",
    "length": 254,
    "shopperReadable": True,
    "label": "Last Name",
    "type": "shortText",
    "writeSecurityLevel": None,
    "writeAccessRight": "ar10",
    "required": False,
    "searchable": False,
    "writable": True,
    "internalOnly": False,
    "uiEditorType": "shortText",
    "default": None,
    "audienceVisibility": None,
    "localizable": False,
    "textSearchable": False,
    "writeRole": "audit",
    "dimension": False,
    "editableAttributes": [
        "shopperWriteable", "readRole", "readSecurityLevel", "readAccessRight", "securityMaskingValue",
        "shopperReadable", "label", "writeSecurityLevel", "writeAccessRight", "required", "searchable",
        "internalOnly", "default", "audienceVisibility", "textSearchable", "writeRole", "dimension", "multiSelect",
        "pii",
    ],
    "multiSelect": None,
    "pii": True,
}


def put(client, properties, **extra):
    return client.put(URL, {"properties": properties, **extra}, format="json", HTTP_X_CCASSET_LANGUAGE="en")


def test_the_documents_example_request_gives_the_documents_response(acme_admin, audit_role, api):
    client = api(acme_admin)
    r = client.put(URL, DOC_REQUEST, format="json", HTTP_X_CCASSET_LANGUAGE="en")
    assert r.status_code == 200, r.json()
    assert r.json()["properties"]["lastName"] == DOC_RESPONSE_LAST_NAME
    assert r.json()["id"] == "user" and r.json()["warnings"] == []
    assert client.get(URL).json()["properties"]["lastName"] == DOC_RESPONSE_LAST_NAME
    event = AuditEvent.objects.get(action="shopper_type.update")
    assert event.actor == acme_admin and event.after["language"] == "en"
    assert event.before["lastName"]["readRole"] is None and event.after["lastName"]["readRole"] == "audit"


def test_get_lists_the_builtin_properties(acme_admin, api):
    body = api(acme_admin).get(URL).json()
    assert set(body) >= {"id", "links", "properties", "propertiesOrder", "warnings"}
    assert {"firstName", "lastName", "email", "mobile", "gender", "dateOfBirth", "GDPRProfileP13nConsentGranted",
            "GDPRProfileP13nConsentDate", "receiveEmail"} <= set(body["properties"])
    assert body["propertiesOrder"][:4] == ["email", "mobile", "firstName", "lastName"]
    gender = body["properties"]["gender"]
    assert gender["type"] == "enumerated" and [v["value"] for v in gender["values"]][:2] == ["male", "female"]


def test_csr_reads_the_shopper_type_but_only_admins_change_it(acme, api):
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    catalog = make_user(acme, privileges=[Privilege.CATALOG])
    assert api(csr).get(URL).status_code == 200
    r = put(api(csr), {"lastName": {"label": "Surname"}})
    assert r.status_code == 403 and r.json()["errorCode"] == "permission_denied" and r.json()["status"] == "403"
    assert api(catalog).get(URL).status_code == 403
    assert api(None).get(URL).status_code == 401


def test_another_shopper_type_is_404(acme_admin, api):
    assert api(acme_admin).get("/ccadmin/v1/shopperTypes/organization").status_code == 404
    assert put(api(acme_admin), {"x": {"type": "shortText"}}).status_code == 200  # user, by the header-free path
    r = api(acme_admin).put("/ccadmin/v1/shopperTypes/organization", {"properties": {}}, format="json")
    assert r.status_code == 404


def test_adding_a_custom_property(acme_admin, audit_role, api):
    r = put(api(acme_admin), {"loyaltyTier": {
        "type": "enumerated", "label": "Loyalty tier", "values": ["bronze", "silver", "gold"],
        "required": True, "default": "bronze", "readAccessRight": "ar10", "readSecurityLevel": "deny"}})
    assert r.status_code == 200, r.json()
    tier = r.json()["properties"]["loyaltyTier"]
    assert tier["values"] == [{"value": "bronze", "label": "bronze"}, {"value": "silver", "label": "silver"},
                              {"value": "gold", "label": "gold"}]
    assert tier["readSecurityLevel"] == "deny" and tier["default"] == "bronze"
    assert "values" in tier["editableAttributes"]
    assert r.json()["propertiesOrder"][-1] == "loyaltyTier"
    # Sending the GET answer back unchanged is accepted and changes nothing.
    got = api(acme_admin).get(URL).json()
    r = api(acme_admin).put(URL, got, format="json")
    assert r.status_code == 200, r.json()
    assert AuditEvent.objects.filter(action="shopper_type.update").count() == 1


def test_properties_order(acme_admin, api):
    order = api(acme_admin).get(URL).json()["propertiesOrder"]
    new_order = ["lastName", "firstName"] + [c for c in order if c not in ("lastName", "firstName")]
    r = api(acme_admin).put(URL, {"propertiesOrder": new_order}, format="json")
    assert r.status_code == 200 and r.json()["propertiesOrder"] == new_order


@pytest.mark.parametrize("properties,code", [
    # unknown role or access right
    ({"lastName": {"readRole": "nope"}}, "unknown_role"),
    ({"lastName": {"writeRole": "nope"}}, "unknown_role"),
    ({"lastName": {"readAccessRight": "nope"}}, "unknown_access_right"),
    ({"lastName": {"writeAccessRight": "nope"}}, "unknown_access_right"),
    # deny only for custom properties
    ({"lastName": {"readSecurityLevel": "deny", "readRole": "audit"}}, "deny_on_builtin_property"),
    ({"email": {"writeSecurityLevel": "deny"}}, "deny_on_builtin_property"),
    ({"lastName": {"readSecurityLevel": "hide"}}, "invalid_security_level"),
    # the masking value must match the type
    ({"dateOfBirth": {"securityMaskingValue": "XXXXX"}}, "masking_value_type_mismatch"),
    ({"abandonedOrderCount": {"securityMaskingValue": "0"}}, "masking_value_type_mismatch"),
    ({"GDPRProfileP13nConsentGranted": {"securityMaskingValue": "no"}}, "masking_value_type_mismatch"),
    ({"gender": {"securityMaskingValue": "other"}}, "masking_value_type_mismatch"),
    ({"lastName": {"securityMaskingValue": 5}}, "masking_value_type_mismatch"),
    ({"c_num": {"type": "number", "securityMaskingValue": "XXXXX"}}, "masking_value_type_mismatch"),
    # no masking value on arrays
    ({"c_tags": {"type": "array", "securityMaskingValue": ["x"]}}, "masking_value_on_array"),
    ({"c_tags": {"type": "array", "itemType": "number", "securityMaskingValue": 0}}, "masking_value_on_array"),
    # no access attributes on references
    ({"homeAddress": {"readRole": "audit"}}, "access_attributes_on_reference"),
    ({"homeAddress": {"securityMaskingValue": "x"}}, "access_attributes_on_reference"),
    ({"c_ref": {"type": "reference", "itemType": "address", "writeAccessRight": "ar10"}},
     "access_attributes_on_reference"),
    # a required custom property needs a default
    ({"c_req": {"type": "shortText", "required": True}}, "required_property_without_default"),
    ({"c_req": {"type": "shortText", "required": True, "default": None}}, "required_property_without_default"),
    # other clear errors
    ({"c_new": {"label": "no type"}}, "invalid_property_type"),
    ({"c_new": {"type": "blob"}}, "invalid_property_type"),
    ({"c_enum": {"type": "enumerated"}}, "enumerated_values_required"),
    ({"c_bad": {"type": "number", "default": "ten"}}, "invalid_default"),
    ({"lastName": {"colour": "red"}}, "unknown_attribute"),
    ({"lastName": {"type": "number"}}, "attribute_not_editable"),
    ({"lastName": {"length": 10}}, "attribute_not_editable"),
    ({"lastName": {"required": "yes"}}, "invalid_attribute_value"),
    ({"lastName": {"readRole": ["audit", "adminRole"]}}, "invalid_attribute_value"),  # one id per attribute
    ({"9lives": {"type": "shortText"}}, "invalid_property_id"),
    ({"id": {"type": "shortText"}}, "invalid_property_id"),
])
def test_validation_errors_have_stable_codes_and_change_nothing(acme_admin, audit_role, api, properties, code):
    api(acme_admin).get(URL)  # the built-in properties exist from the first use on
    before = sorted(PropertyDefinition.objects.filter(org=acme_admin.org).values_list("code", "read_role"))
    # A valid change in the same request must not be saved either.
    r = put(api(acme_admin), {"firstName": {"label": "Given name"}, **properties})
    assert r.status_code == 400, r.json()
    body = r.json()
    assert body["errorCode"] == code and body["status"] == "400" and body["message"]
    assert PropertyDefinition.objects.get(org=acme_admin.org, code="firstName").label == "First Name"
    assert sorted(PropertyDefinition.objects.filter(org=acme_admin.org).values_list("code", "read_role")) == before
    assert not AuditEvent.objects.filter(action="shopper_type.update").exists()


def test_other_orgs_roles_and_access_rights_are_unknown(acme_admin, audit_role, globex_admin, api):
    r = put(api(globex_admin), {"lastName": {"readRole": "audit"}})
    assert r.status_code == 400 and r.json()["errorCode"] == "unknown_role"
    r = put(api(globex_admin), {"lastName": {"readAccessRight": "ar10"}})
    assert r.status_code == 400 and r.json()["errorCode"] == "unknown_access_right"
    # built-in privileges are access rights of every org
    assert put(api(globex_admin), {"lastName": {"writeAccessRight": "ora.adminPrivilege"}}).status_code == 200


def test_masking_values_that_fit(acme_admin, audit_role, api):
    r = put(api(acme_admin), {
        "dateOfBirth": {"readRole": "audit", "securityMaskingValue": "1900-01-01"},
        "abandonedOrderCount": {"readRole": "audit", "securityMaskingValue": -1},
        "GDPRProfileP13nConsentDate": {"readRole": "audit", "securityMaskingValue": "2000-01-01T00:00:00Z"},
        "gender": {"readRole": "audit", "securityMaskingValue": "unspecified"},
        "c_tags": {"type": "array", "readRole": "audit", "writeRole": "audit"},  # access rights on arrays: fine
    })
    assert r.status_code == 200, r.json()
    props = r.json()["properties"]
    assert props["GDPRProfileP13nConsentDate"]["securityMaskingValue"] == "2000-01-01T00:00:00.000Z"
    assert props["abandonedOrderCount"]["securityMaskingValue"] == -1
    assert "securityMaskingValue" not in props["c_tags"]["editableAttributes"]
    assert "readRole" not in props["homeAddress"]["editableAttributes"]


def test_warning_when_a_role_could_write_what_it_cannot_read(acme_admin, audit_role, api):
    r = put(api(acme_admin), {"lastName": {"readRole": "audit"}})  # write stays open to everyone
    assert r.status_code == 200
    warnings = r.json()["warnings"]
    assert [w["property"] for w in warnings] == ["lastName"]
    assert warnings[0]["code"] == "write_without_read"
    assert warnings[0]["roles"] == ["accessControlRole", "adminRole", "catalogRole", "connectRole", "csAgentRole",
                                  "piiApprovalRole", "piiDeletionRole"]
    assert api(acme_admin).get(URL).json()["warnings"] == warnings
    r = put(api(acme_admin), {"lastName": {"writeRole": "audit"}})
    assert r.json()["warnings"] == []


@pytest.mark.parametrize("rules", [
    {"writeRole": "adminRole"},                                    # example 1
    {"writeAccessRight": "unassignedRight", "readRole": "audit"},  # example 2
    {"writeRole": "audit", "readRole": "audit"},                   # example 3
])
def test_the_documents_three_examples_raise_no_warning(acme, acme_admin, audit_role, api, rules):
    from accessadmin import services as core_services

    core_services.access_right_create(actor=acme_admin, org=acme, code="unassignedRight", name="Held by no role")
    r = put(api(acme_admin), {"lastName": rules})
    assert r.status_code == 200 and r.json()["warnings"] == []


def test_language_header_is_checked_when_given(acme_admin, api):
    r = api(acme_admin).put(URL, {"properties": {}}, format="json", HTTP_X_CCASSET_LANGUAGE="<script>")
    assert r.status_code == 400 and r.json()["errorCode"] == "invalid_language"
    r = api(acme_admin).put(URL, {"bogus": 1}, format="json")
    assert r.status_code == 400 and r.json()["errorCode"] == "invalid_shopper_type_body"
    r = api(acme_admin).put(URL, ["not", "an", "object"], format="json")
    assert r.status_code == 400 and r.json()["errorCode"] == "invalid_shopper_type_body"


def test_each_org_has_its_own_shopper_type(acme_admin, globex_admin, audit_role, api):
    put(api(acme_admin), {"c_acmeOnly": {"type": "shortText"}})
    assert "c_acmeOnly" not in api(globex_admin).get(URL).json()["properties"]
    assert_other_org_404(api(globex_admin), "/ccadmin/v1/shopperTypes/organization")
