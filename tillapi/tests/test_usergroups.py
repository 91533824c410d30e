"""/v2/userGroup2 and friends through the front door: POS tills are refused (no User Groups cell), Admin tills
and custom groups with the cell work; every answer's shape, code and 4xx; another org's group is 404."""

import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from loyalty import services as loyalty_services
from loyalty.models import GroupLedgerEntry, UserGroup

pytestmark = pytest.mark.django_db

GROUP = "/v2/userGroup2"


@pytest.fixture
def program_on():
    """program_on(org, **changes) → the org's group program switched on by an administrator."""
    def switch(org, **changes):
        admin = make_user(org, privileges=[Privilege.ADMIN])
        return loyalty_services.program_update(actor=admin, org=org, changes={"enabled": True, **changes})
    return switch


@pytest.fixture
def till_of(builtin, make_store, make_till, till_client):
    """till_of(org, group=None) → a client of a new till whose store is allocated to `group` (default: Admin)."""
    def make(org, group=None):
        return till_client(make_till(org, store=make_store(org, group=group or builtin("Admin"))).code)
    return make


def create(till, external_id="fam-1", **extra):
    response = till.post(GROUP, {"externalId": external_id, "groupName": extra.pop("groupName", external_id),
                                 "maxGroupSize": extra.pop("maxGroupSize", 5), **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["entity"]


def join(till, group_id, rows):
    return till.post(f"{GROUP}/join?id={group_id}", rows, format="json")


def test_pos_has_no_user_groups_cell(acme, program_on, builtin, till_of):
    program_on(acme)
    pos = till_of(acme, builtin("POS"))
    for method, url, body in [("get", f"{GROUP}?id=1", None), ("post", GROUP, {}), ("put", f"{GROUP}/", {}),
                              ("post", f"{GROUP}/join?id=1", []), ("delete", f"{GROUP}/1/leave", None),
                              ("get", f"{GROUP}/members?id=1", None),
                              ("get", "/v2/customers/userEntityTrackers?type=USERGROUP2", None)]:
        response = getattr(pos, method)(url, body, format="json") if body is not None else getattr(pos, method)(url)
        assert response.status_code == 403, (method, url)
        assert response.json()["errors"][0]["code"] == 4000
        assert response.json()["explanation"]["resource"] in ("user_group", "User Groups")


def test_program_off_answers_group_loyalty_disabled(acme, till_of):
    admin = till_of(acme)
    for method, url, body in [("get", f"{GROUP}?id=1", None), ("post", GROUP, {"externalId": "x"}),
                              ("post", f"{GROUP}/join?id=1", [{"userId": 1}]), ("delete", f"{GROUP}/1/leave", None),
                              ("get", f"{GROUP}/members?id=1", None),
                              ("get", "/v2/customers/userEntityTrackers?type=USERGROUP2&identifierType=id"
                                      "&identifierValue=1", None)]:
        response = getattr(admin, method)(url, body, format="json") if body is not None else \
            getattr(admin, method)(url)
        assert response.status_code == 400, (method, url)
        assert response.json()["code"] == "group_loyalty_disabled"
        assert response.json()["errors"][0]["code"] == 4100


CUSTOM_CELLS = {(resource, "data", permission) for resource in ("user_group", "transaction", "points")
                for permission in ("read", "write")}


@pytest.mark.parametrize("access_group", ["Admin", "custom"])
def test_the_life_of_a_family(acme, program_on, till_of, make_customer, make_group, builtin, access_group):
    """Every operation, by a till of the built-in Admin group and of a custom group with the User Groups cells."""
    program_on(acme, tracking_window_days=365)
    group = builtin("Admin") if access_group == "Admin" else make_group(acme, "Family desk", grants=CUSTOM_CELLS)
    till = till_of(acme, group)
    primary, member, third = (make_customer(acme) for _ in range(3))
    group_id = create(till, groupName="The Smiths", maxGroupSize=2)

    r = join(till, group_id, [
        {"userId": primary.pk, "primaryMember": True, "defaultGroup": True,
         "permissions": ["allow_points_redemption"]},
        {"userId": member.pk, "permissions": ["allow_points_redemption"], "defaultGroup": True, "role": "child"},
        {"userId": third.pk},
    ])
    assert r.status_code == 200
    body = r.json()
    assert (body["totalCount"], body["failureCount"]) == (3, 1)
    assert body["response"][0]["entityId"] == {"userId": primary.pk, "groupId": group_id}
    assert body["response"][0]["result"]["primaryMember"] is True
    assert body["response"][1]["result"]["role"] == "child"
    assert body["response"][2]["result"] is None
    assert body["response"][2]["errors"] == [{"status": False, "code": 1638,
                                              "message": "reached maximum group capacity"}]

    r = till.post("/v2/transactions", {"customer_id": member.pk, "bill_number": "B1", "amount": "250.00"},
                  format="json")
    assert r.status_code == 201 and r.json()["balance"] == 250  # points_to both: the member earns too

    got = till.get(GROUP, {"id": group_id, "gapToUpgradeFor": "true", "gapToRenewFor": "true"}).json()
    assert got["groupName"] == "The Smiths" and got["groupStatus"] == "ACTIVE" and got["groupType"] == "FAMILY"
    assert got["lifeTimePurchases"] == "250.00" and got["maxGroupSize"] == 2
    assert {u["userId"] for u in got["fleetGroupUsers"]} == {primary.pk, member.pk}
    assert got["loyalty"] == {"currentSlab": "Silver", "points": 250, "lifetimePoints": 250, "tracker": 250,
                              "nextSlab": "Gold", "gapToUpgrade": 4750, "gapToRenew": 0, "slabExpiresOn": None}
    assert "parentGroupId" not in got
    assert till.get(f"{GROUP}/", {"externalId": "fam-1"}).json()["id"] == group_id
    assert till.get(GROUP, {"primaryUserId": primary.pk}).json()["id"] == group_id
    assert "gapToUpgrade" not in till.get(GROUP, {"id": group_id}).json()["loyalty"]

    r = till.put(GROUP, {"id": group_id, "externalId": "fam-1b", "groupName": "Smiths", "maxGroupSize": 3},
                 format="json")
    assert r.status_code == 200 and r.json()["externalId"] == "fam-1b" and r.json()["maxGroupSize"] == 3

    members = till.get(f"{GROUP}/members", {"id": group_id})
    assert members.status_code == 200 and members["X-Total-Count"] == "2"
    rows = {m["userId"]: m for m in members.json()}
    assert rows[member.pk]["pointsContributed"] == 250 and rows[primary.pk]["pointsContributed"] == 0
    assert rows[member.pk]["permissions"] == ["allow_points_redemption"]
    assert {"type": "email", "value": member.email} in rows[member.pk]["identifiers"]
    assert rows[primary.pk]["primaryMember"] is True and rows[member.pk]["inActive"] is False
    assert len(till.get(f"{GROUP}/members/", {"id": group_id, "limit": 1, "offset": 1}).json()) == 1

    r = till.post("/v2/points/redeem", {"customer_id": member.pk, "points": 200, "groupId": group_id},
                  format="json")
    assert r.status_code == 200 and r.json() == {"customer_id": member.pk, "balance": 50, "groupId": group_id}
    r = till.post("/v2/points/redeem/", {"customer_id": member.pk, "points": 51, "groupId": group_id},
                  format="json")
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == 4120
    assert r.json()["code"] == "insufficient_points"

    trackers = till.get("/v2/customers/userEntityTrackers", {"type": "USERGROUP2", "identifierType": "id",
                                                             "identifierValue": group_id})
    assert trackers.status_code == 200
    assert trackers.json()["tracker"] == 250 and trackers.json()["entityId"] == group_id
    assert sum(p["value"] for p in trackers.json()["periods"]) == 250

    r = till.delete(f"{GROUP}/{group_id}/leave?identifierName=mobile&identifierValue={member.mobile}")
    assert r.status_code == 200 and r.json() == {"warnings": [], "errors": [], "success": True}
    r = till.delete(f"{GROUP}/{group_id}/leave/?identifierName=id&identifierValue={primary.pk}")
    assert r.status_code == 200
    assert till.get(GROUP, {"id": group_id}).json()["groupStatus"] == "INACTIVE"
    assert GroupLedgerEntry.objects.filter(group_id=group_id).count() == 2


def test_join_codes_1637_1641_1642(acme, program_on, till_of, make_customer):
    program_on(acme)
    till = till_of(acme)
    a, b, c = (make_customer(acme) for _ in range(3))
    first, second = create(till, "g1"), create(till, "g2")
    assert join(till, first, [{"userId": a.pk, "primaryMember": True}]).json()["failureCount"] == 0
    body = join(till, first, [{"userId": b.pk, "primaryMember": True},
                              {"userId": c.pk, "permissions": ["allow_points_gifting"]}]).json()
    assert [r["errors"][0]["code"] for r in body["response"]] == [1637, 1641]
    body = join(till, second, [{"userId": a.pk, "primaryMember": True}]).json()
    assert body["response"][0]["errors"][0]["code"] == 1642


@pytest.mark.parametrize("payload, field", [
    ({"groupName": "x", "maxGroupSize": 5}, "externalId"),
    ({"externalId": "x" * 51, "maxGroupSize": 5}, "externalId"),
    ({"externalId": "x", "maxGroupSize": "5"}, "maxGroupSize"),
    ({"externalId": "x", "maxGroupSize": 31}, "maxGroupSize"),  # over the org's cap (30)
    ({"externalId": "x", "maxGroupSize": 5, "groupType": "FLEET"}, "groupType"),
    ({"externalId": "x", "maxGroupSize": 5, "parentGroupId": 99}, "parentGroupId"),  # a family has none
    ({"externalId": "x", "maxGroupSize": 5, "colour": "red"}, "colour"),
])
def test_malformed_create_names_the_field(acme, program_on, till_of, payload, field):
    program_on(acme)
    r = till_of(acme).post(GROUP, payload, format="json")
    assert r.status_code == 400
    assert field in r.json()["fields"]
    assert not UserGroup.objects.exists()


def test_malformed_join_rows_and_unknown_customers_name_the_field(acme, program_on, till_of, make_customer):
    program_on(acme)
    till = till_of(acme)
    group_id = create(till)
    r = join(till, group_id, [{"userId": make_customer(acme).pk}, {"userId": "12"}])
    assert r.status_code == 400 and "[1].userId" in r.json()["fields"]
    r = join(till, group_id, [{"userId": 987654}])
    assert r.status_code == 400 and r.json()["fields"] == {"[0].userId": ["No such customer."]}
    assert r.json()["code"] == "unknown_customer"
    r = join(till, group_id, {"userId": 1})
    assert r.status_code == 400
    r = till.delete(f"{GROUP}/{group_id}/leave?identifierName=nickname&identifierValue=x")
    assert r.status_code == 400 and "identifierName" in r.json()["fields"]
    r = till.delete(f"{GROUP}/{group_id}/leave?identifierName=email&identifierValue=nobody@example.com")
    assert r.status_code == 400 and "identifierValue" in r.json()["fields"]
    r = till.get("/v2/customers/userEntityTrackers", {"type": "USER", "identifierType": "id", "identifierValue": 1})
    assert r.status_code == 400 and r.json()["code"] == "invalid_tracker_type"
    r = till.get(GROUP, {"id": "abc"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_group_id"
    r = till.get(GROUP)
    assert r.status_code == 400 and r.json()["code"] == "group_id_required"


def test_company_details(acme, program_on, till_of):
    program_on(acme)
    till = till_of(acme)
    parent = create(till, "co-1", groupType="COMPANY")
    child = create(till, "co-2", groupType="COMPANY", parentGroupId=parent)
    got = till.get(GROUP, {"id": parent, "companyDetails": "true"}).json()
    assert (got["parentGroupId"], got["childGroupIds"]) == (None, [child])
    assert till.get(GROUP, {"id": child, "companyDetails": "true"}).json()["parentGroupId"] == parent


def test_custom_group_with_the_cell(acme, program_on, till_of, make_group):
    program_on(acme)
    readers = till_of(acme, make_group(acme, "Group readers", grants={("user_group", "data", "read")}))
    writers = till_of(acme, make_group(acme, "Group writers", grants={("user_group", "data", "read"),
                                                                      ("user_group", "data", "write")}))
    group_id = create(writers)
    assert readers.get(GROUP, {"id": group_id}).status_code == 200
    refused = readers.post(GROUP, {"externalId": "x", "maxGroupSize": 3}, format="json")
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == 4000


def test_another_orgs_group_is_404_like_a_missing_one(acme, globex, program_on, till_of, make_customer):
    program_on(acme)
    program_on(globex)
    group_id = create(till_of(acme))
    foreign = till_of(globex)
    for response in (foreign.get(GROUP, {"id": group_id}), foreign.get(GROUP, {"id": 999999}),
                     foreign.get(f"{GROUP}/members", {"id": group_id}),
                     join(foreign, group_id, [{"userId": make_customer(globex).pk}]),
                     foreign.delete(f"{GROUP}/{group_id}/leave?identifierName=id&identifierValue=1"),
                     foreign.put(GROUP, {"id": group_id, "externalId": "z", "maxGroupSize": 3}, format="json")):
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == 4104 and response.json()["code"] == "group_not_found"


def test_group_redemption_needs_the_permission(acme, program_on, till_of, make_customer):
    program_on(acme)
    till = till_of(acme)
    primary, member = make_customer(acme), make_customer(acme)
    group_id = create(till)
    join(till, group_id, [{"userId": primary.pk, "primaryMember": True, "defaultGroup": True},
                          {"userId": member.pk, "permissions": ["allow_points_redemption", "block_points_redemption"]}])
    till.post("/v2/transactions", {"customer_id": primary.pk, "bill_number": "B1", "amount": "40"}, format="json")
    for customer in (primary, member):
        r = till.post("/v2/points/redeem", {"customer_id": customer.pk, "points": 5, "groupId": group_id},
                      format="json")
        assert r.status_code == 400 and r.json()["code"] == "group_redemption_not_allowed"


def test_the_gateway_maps_user_group_paths_to_user_groups(acme, basic_auth, builtin, make_store, make_till):
    from rest_framework.test import APIClient

    till = make_till(acme, store=make_store(acme, group=builtin("POS")))

    def check(method, uri):
        return APIClient().get("/authz/check", HTTP_X_ORIGINAL_METHOD=method, HTTP_X_ORIGINAL_URI=uri,
                               HTTP_AUTHORIZATION=basic_auth(till.code))

    for method, uri in [("POST", "/v2/userGroup2"), ("GET", "/v2/userGroup2/?id=1"), ("POST", "/v2/userGroup2/join"),
                        ("DELETE", "/v2/userGroup2/5/leave"), ("GET", "/v2/userGroup2/members?id=1"),
                        ("GET", "/v2/customers/userEntityTrackers?type=USERGROUP2")]:
        response = check(method, uri)
        assert response.status_code == 403, uri
        assert (response.json()["explanation"]["resource"], response.json()["explanation"]["part"]) == \
            ("user_group", "data")
    assert check("GET", "/v2/customers/12").status_code == 200  # still Customer, which POS may read
