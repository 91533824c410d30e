"""Every write of /api/v1 and /ccadmin/v1 refuses odd input with a coded 400 that changes nothing.

Unknown fields are named (with the right casing when the key is a known field in another casing: snake_case on
/api/v1, camelCase on /ccadmin/v1); a JSON number is not a string, a string is not a whole number, a list is not
an object, and ids too large for any column are refused before they reach the database.
"""

import pytest

from accessadmin import services as core_services
from accessadmin.models import AccessRight, AuditEvent, Role, User
from criteria import services as criteria_services
from criteria.models import Catalog, PriceGroup, SecurityCriterion
from criteria.resources import Resource
from groups import services as group_services
from groups.models import AccessGroup
from stores import services as store_services
from stores.models import ApiClient, Store, Till

pytestmark = pytest.mark.django_db

BIG = 10 ** 30


@pytest.fixture
def world(acme, acme_admin):
    group, _ = group_services.group_create(actor=acme_admin, org=acme, name="Kiosk", permissions=[])
    store = store_services.store_create(actor=acme_admin, org=acme, code="acme-s1", name="Store 1")
    store_services.till_create(actor=acme_admin, org=acme, store=store, code="acme-s1-t1")
    core_services.access_right_create(actor=acme_admin, org=acme, code="ar1", name="Right 1")
    core_services.role_create(actor=acme_admin, org=acme, code="role1", name="Role 1")
    criteria_services.asset_create(actor=acme_admin, org=acme, resource=Resource.CATALOG, code="Cat1",
                                   display_name="Catalog 1")
    criteria_services.asset_create(actor=acme_admin, org=acme, resource=Resource.PRICE_GROUP, code="PG1",
                                   display_name="Prices 1")
    criteria_services.criterion_create(actor=acme_admin, org=acme, code="crit1", name="Crit 1",
                                       resource=Resource.CATALOG.value, constraint_type="deny",
                                       constraints=[{"values": ["Cat1"]}])
    user = core_services.user_create(actor=acme_admin, org=acme, username="acme-someone", password="pw-4-tests-xyz!",
                                     validate=False)
    return {"group": group.pk, "user": user.pk}


def _state() -> tuple:
    return (AuditEvent.objects.count(), AccessGroup.objects.count(), Store.objects.count(), Till.objects.count(),
            ApiClient.objects.count(), Role.objects.count(), AccessRight.objects.count(), User.objects.count(),
            Catalog.objects.count(), PriceGroup.objects.count(), SecurityCriterion.objects.count(),
            sorted(AccessGroup.objects.values_list("name", "description", "is_active")),
            sorted(Store.objects.values_list("code", "name", "city", "access_group_id")),
            sorted(Role.objects.values_list("code", "name", "description")),
            sorted(Catalog.objects.values_list("code", "display_name", "description", "active")),
            sorted(SecurityCriterion.objects.values_list("code", "name", "description")))


# (method, path, body, the field the answer must name)
UNKNOWN = [
    ("post", "/api/v1/access-groups/", {"name": "G2", "permissions": [], "colour": "red"}, "colour"),
    ("patch", "/api/v1/access-groups/{group}/", {"Name": "G3"}, "Name"),
    ("post", "/api/v1/access-groups/{group}/allocate/", {"stores": ["acme-s1"], "force": True}, "force"),
    ("put", "/api/v1/default-access-group/", {"access_group": "{group}", "accessGroup": 1}, "accessGroup"),
    ("post", "/api/v1/stores/", {"code": "acme-s2", "name": "S2", "accessGroup": None}, "accessGroup"),
    ("patch", "/api/v1/stores/acme-s1/", {"name": "S1", "town": "Oslo"}, "town"),
    ("post", "/api/v1/stores/acme-s1/managers/", {"user": "acme-someone", "role": "x"}, "role"),
    ("post", "/api/v1/stores/acme-s1/tills/", {"code": "acme-s1-t2", "secret": "mine"}, "secret"),
    ("post", "/api/v1/api-clients/", {"name": "C", "access_group": "{group}", "scopes": ["a"]}, "scopes"),
    ("patch", "/api/v1/org/", {"basicAuthEnabled": False}, "basicAuthEnabled"),
    ("post", "/api/v1/stores/acme-s1/suggested-group/", {"name": "S", "dayz": 3}, "dayz"),
    ("post", "/api/v1/users/", {"username": "acme-new", "password": "pw-4-tests-xyz!", "firstName": "A"},
     "firstName"),
    ("patch", "/api/v1/users/{user}/", {"lastName": "B"}, "lastName"),
    ("post", "/ccadmin/v1/adminRoles", {"name": "R2", "access_rights": []}, "access_rights"),
    ("put", "/ccadmin/v1/adminRoles/role1", {"name": "R1", "extra": 1}, "extra"),
    ("post", "/ccadmin/v1/adminAccessRights", {"id": "ar2", "name": "AR2", "scope": "x"}, "scope"),
    ("put", "/ccadmin/v1/adminAccessRights/ar1", {"display_name": "x"}, "display_name"),
    ("post", "/ccadmin/v1/catalogs", {"id": "Cat2", "displayName": "C2", "display_name": "C2"}, "display_name"),
    ("put", "/ccadmin/v1/catalogs/Cat1", {"displayname": "C"}, "displayname"),
    ("post", "/ccadmin/v1/priceListGroups", {"id": "PG2", "displayName": "P2", "locale": "en"}, "locale"),
    ("put", "/ccadmin/v1/priceListGroups/PG1", {"currencyCode": "EUR"}, "currencyCode"),
    ("post", "/ccadmin/v1/adminSecurityCriteria",
     {"name": "C2", "securityCriteriaResource": "ora.catalogAssetResource", "constraintType": "deny",
      "constraints": [{"values": ["Cat1"]}], "constraint_type": "deny"}, "constraint_type"),
    ("post", "/ccadmin/v1/adminSecurityCriteria",
     {"name": "C3", "securityCriteriaResource": "ora.catalogAssetResource", "constraintType": "deny",
      "constraints": [{"values": ["Cat1"], "value": "Cat2"}]}, "constraints.value"),
    ("put", "/ccadmin/v1/adminSecurityCriteria/crit1", {"name": "C", "owner": "me"}, "owner"),
]


def _fill(value, world):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in world:
        return world[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    return value


def _error_code(body: dict) -> str:
    return body.get("code") or body.get("errorCode")


@pytest.mark.parametrize("method,path,body,field", UNKNOWN)
def test_unknown_fields_are_refused_by_name_and_change_nothing(world, acme_admin, api, method, path, body, field):
    before = _state()
    r = getattr(api(acme_admin), method)(path.format(**world), _fill(body, world), format="json")
    assert r.status_code == 400, r.content
    answer = r.json()
    assert _error_code(answer) in ("unknown_field", "22064")
    assert field in answer["fields"] and field.split(".")[-1] in answer["message"]
    assert _state() == before


@pytest.mark.parametrize("path,body,wrong,right", [
    ("/api/v1/users/", {"username": "acme-new2", "password": "pw-4-tests-xyz!"}, "firstName", "first_name"),
    ("/ccadmin/v1/adminRoles", {}, "access_rights", "accessRights"),
    ("/ccadmin/v1/catalogs", {"id": "Cat3"}, "display_name", "displayName"),
])
def test_a_field_in_the_other_casing_is_answered_with_the_right_spelling(world, acme_admin, api, path, body,
                                                                           wrong, right):
    r = api(acme_admin).post(path, {**body, "name": "X", wrong: "X"}, format="json")
    assert r.status_code == 400
    assert f"did you mean {right}?" in r.json()["message"]
    assert right in r.json()["fields"][wrong][0]


# (method, path, body, the field the answer must name)
WRONG_TYPES = [
    ("post", "/api/v1/access-groups/", {"name": 12, "permissions": []}, "name"),
    ("post", "/api/v1/access-groups/", {"name": "G", "description": ["d"]}, "description"),
    ("patch", "/api/v1/access-groups/{group}/", {"name": True}, "name"),
    ("post", "/api/v1/access-groups/{group}/allocate/", {"stores": "acme-s1"}, "stores"),
    ("post", "/api/v1/access-groups/{group}/allocate/", {"stores": [1, 2]}, "stores"),
    ("put", "/api/v1/default-access-group/", {"access_group": "{group}s"}, "access_group"),
    ("put", "/api/v1/default-access-group/", {"access_group": BIG}, "access_group"),
    ("put", "/api/v1/default-access-group/", {"access_group": 1.5}, "access_group"),
    ("put", "/api/v1/default-access-group/", {"access_group": True}, "access_group"),
    ("put", "/api/v1/default-access-group/", {"access_group": None}, "access_group"),
    ("post", "/api/v1/stores/", {"code": "acme-s3", "name": 3}, "name"),
    ("post", "/api/v1/stores/", {"code": "acme-s3", "name": "S3", "access_group": BIG}, "access_group"),
    ("post", "/api/v1/stores/", {"code": "acme-s3", "name": "S3", "access_group": "1"}, "access_group"),
    ("patch", "/api/v1/stores/acme-s1/", {"access_group": {"id": 1}}, "access_group"),
    ("patch", "/api/v1/stores/acme-s1/", {"city": 47}, "city"),
    ("post", "/api/v1/stores/acme-s1/managers/", {"user": 5}, "user"),
    ("post", "/api/v1/stores/acme-s1/tills/", {"code": 7}, "code"),
    ("post", "/api/v1/api-clients/", {"name": "C", "access_group": BIG}, "access_group"),
    ("post", "/api/v1/api-clients/", {"name": ["C"], "access_group": "{group}"}, "name"),
    ("patch", "/api/v1/org/", {"basic_auth_enabled": "false"}, "basic_auth_enabled"),
    ("patch", "/api/v1/org/", {"basic_auth_enabled": 0}, "basic_auth_enabled"),
    ("patch", "/api/v1/org/", {"enforcement_mode": 1}, "enforcement_mode"),
    ("post", "/api/v1/stores/acme-s1/suggested-group/", {"name": "S", "days": "30"}, "days"),
    ("post", "/api/v1/stores/acme-s1/suggested-group/", {"name": "S", "days": BIG}, "days"),
    ("post", "/api/v1/users/", {"username": 5, "password": "pw-4-tests-xyz!"}, "username"),
    ("patch", "/api/v1/users/{user}/", {"is_active": "no"}, "is_active"),
    ("patch", "/api/v1/users/{user}/", {"first_name": 1}, "first_name"),
    ("post", "/ccadmin/v1/adminRoles", {"name": 5}, "name"),
    ("put", "/ccadmin/v1/adminRoles/role1", {"description": 5}, "description"),
    ("put", "/ccadmin/v1/adminRoles/role1", {"accessRights": "ar1"}, "accessRights"),
    ("post", "/ccadmin/v1/adminAccessRights", {"id": 5, "name": "AR"}, "id"),
    ("put", "/ccadmin/v1/adminAccessRights/ar1", {"name": 5}, "name"),
    ("post", "/ccadmin/v1/catalogs", {"id": "Cat4", "displayName": 4}, "displayName"),
    ("put", "/ccadmin/v1/catalogs/Cat1", {"active": "yes"}, "active"),
    ("put", "/ccadmin/v1/priceListGroups/PG1", {"currency": 978}, "currency"),
    ("post", "/ccadmin/v1/adminSecurityCriteria",
     {"name": 5, "securityCriteriaResource": "ora.catalogAssetResource", "constraintType": "deny",
      "constraints": [{"values": ["Cat1"]}]}, "name"),
    ("post", "/ccadmin/v1/adminSecurityCriteria",
     {"name": "C5", "securityCriteriaResource": "ora.catalogAssetResource", "constraintType": "deny",
      "constraints": {"values": ["Cat1"]}}, "constraints"),
    ("post", "/ccadmin/v1/adminSecurityCriteria",
     {"name": "C6", "securityCriteriaResource": "ora.catalogAssetResource", "constraintType": "deny",
      "constraints": [{"values": [1]}]}, "constraints"),
    ("put", "/ccadmin/v1/adminSecurityCriteria/crit1", {"description": 5}, "description"),
    ("put", "/ccadmin/v1/adminSecurityCriteria/crit1", {"constraints": [["Cat1"]]}, "constraints"),
]


@pytest.mark.parametrize("method,path,body,field", WRONG_TYPES)
def test_values_of_the_wrong_json_type_are_refused_and_change_nothing(world, acme_admin, api, method, path, body,
                                                                      field):
    before = _state()
    r = getattr(api(acme_admin), method)(path.format(**world), _fill(body, world), format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()["fields"], r.json()
    assert _state() == before


WRITES = [
    ("post", "/api/v1/access-groups/"), ("patch", "/api/v1/access-groups/{group}/"),
    ("post", "/api/v1/access-groups/{group}/diff/"), ("post", "/api/v1/access-groups/{group}/allocate/"),
    ("post", "/api/v1/access-groups/{group}/unallocate/"), ("put", "/api/v1/default-access-group/"),
    ("post", "/api/v1/stores/"), ("patch", "/api/v1/stores/acme-s1/"), ("post", "/api/v1/stores/acme-s1/managers/"),
    ("post", "/api/v1/stores/acme-s1/tills/"), ("post", "/api/v1/api-clients/"), ("patch", "/api/v1/org/"),
    ("post", "/api/v1/stores/acme-s1/suggested-group/"), ("post", "/api/v1/users/"),
    ("patch", "/api/v1/users/{user}/"), ("post", "/ccadmin/v1/adminRoles"), ("put", "/ccadmin/v1/adminRoles/role1"),
    ("post", "/ccadmin/v1/adminAccessRights"), ("put", "/ccadmin/v1/adminAccessRights/ar1"),
    ("post", "/ccadmin/v1/catalogs"), ("put", "/ccadmin/v1/catalogs/Cat1"),
    ("post", "/ccadmin/v1/priceListGroups"), ("put", "/ccadmin/v1/priceListGroups/PG1"),
    ("post", "/ccadmin/v1/adminSecurityCriteria"), ("put", "/ccadmin/v1/adminSecurityCriteria/crit1"),
    ("post", "/ccadmin/v1/profiles"), ("put", "/ccadmin/v1/shopperTypes/user"),
]
# Creates that need something in the body ({} makes a till with the next free code: not among them).
CREATES = [w for w in WRITES if w[0] == "post" and not w[1].endswith(("/diff/", "/tills/"))]


@pytest.mark.parametrize("raw", ["[]", "[{}]", '"text"', "12", "null", "true"])
@pytest.mark.parametrize("method,path", WRITES)
def test_a_body_that_is_not_an_object_is_refused(world, acme_admin, api, method, path, raw):
    before = _state()
    r = getattr(api(acme_admin), method)(path.format(**world), data=raw, content_type="application/json")
    assert r.status_code == 400, r.content
    assert _error_code(r.json())
    assert _state() == before


@pytest.mark.parametrize("method,path", CREATES)
def test_an_empty_object_is_refused_by_every_create(world, acme_admin, api, method, path):
    before = _state()
    r = getattr(api(acme_admin), method)(path.format(**world), {}, format="json")
    assert r.status_code == 400, r.content
    assert _error_code(r.json())
    assert _state() == before


def test_ccadmin_accepts_back_what_it_answered(world, acme_admin, api):
    """A PUT of what a GET returned (read-only keys included) changes nothing and is not an error."""
    client = api(acme_admin)
    for path in ("/ccadmin/v1/adminSecurityCriteria/crit1", "/ccadmin/v1/catalogs/Cat1",
                 "/ccadmin/v1/priceListGroups/PG1", "/ccadmin/v1/adminAccessRights/ar1",
                 "/ccadmin/v1/adminRoles/role1"):
        shown = client.get(path).json()
        r = client.put(path, shown, format="json")
        assert r.status_code == 200, (path, r.content)


def test_form_bodies_carry_strings_and_are_read_by_the_same_rules(world, acme_admin, api):
    """A form body has nothing but strings: "12" may spell a whole number there, "1.5" may not."""
    client = api(acme_admin)
    r = client.post("/api/v1/stores/", {"code": "acme-f1", "name": "Form", "access_group": str(world["group"])})
    assert r.status_code == 201, r.content
    assert r.json()["access_group"]["id"] == world["group"]
    before = _state()
    for body, field in (({"code": "acme-f2", "name": "Form", "access_group": "1.5"}, "access_group"),
                        ({"code": "acme-f2", "name": "Form", "colour": "red"}, "colour")):
        r = client.post("/api/v1/stores/", body)
        assert r.status_code == 400 and field in r.json()["fields"], r.content
    assert _state() == before
