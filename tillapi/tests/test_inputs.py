"""Bad input to every write of the till API is a 400 with code 4100 naming the field, and changes nothing.

Whole numbers (points, customer ids) must be JSON integers: "12", 12.0, 1.9 and true are refused, never
coerced or truncated. Amounts are decimals: a JSON number or a string such as "19.90" (the form the API
answers with), with at most the column's digits and decimal places.
"""

import pytest

from accessadmin.errors import InvalidInput
from groups.builtins import ADMIN
from loyalty import services as loyalty_services
from loyalty.models import BehavioralEvent, BehavioralEventDefinition, PointsAccount, PointsEntry, Transaction
from shopperdata.models import Profile
from stores.models import Store, Till

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(builtin, give_points, make_customer, make_store, make_till, till_client, acme):
    store = make_store(acme, "acme-in1", group=builtin(ADMIN))
    till = make_till(acme, store, code="acme-in1-t1")
    customer = make_customer(acme)
    give_points(acme, customer.pk, 50)
    BehavioralEventDefinition.objects.create(org=acme, name="visit", attributes=["aisle"])
    return {"client": till_client(till.code), "customer": customer, "store": store}


def _counts() -> tuple:
    return (Transaction.objects.count(), PointsEntry.objects.count(),
            list(PointsAccount.objects.order_by("pk").values_list("balance", flat=True)),
            Profile.objects.count(), BehavioralEvent.objects.count(), BehavioralEventDefinition.objects.count(),
            Store.objects.count(), Till.objects.count())


def _post_raw(client, path: str, raw: str, method: str = "post"):
    return getattr(client, method)(path, data=raw, content_type="application/json")


def _assert_refused(response, field: str | None):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["errors"][0]["code"] == 4100 and body["errors"][0]["status"] is False
    if field is not None:
        assert field in body["fields"], body


HUGE = "1" + "0" * 399  # a 400-digit number


@pytest.mark.parametrize("amount", [
    "1e30", HUGE, "-5", "0", "12.345", '"NaN"', '"Infinity"', '"-Infinity"', '"1e30"', '"12.345"', "true",
    '"abc"', "[1]", '{"value": 1}', "null", "9999999999.99",
])
def test_bad_amounts_are_refused_and_change_nothing(ctx, amount):
    before = _counts()
    raw = f'{{"customer_id": {ctx["customer"].pk}, "bill_number": "B-1", "amount": {amount}}}'
    _assert_refused(_post_raw(ctx["client"], "/v2/transactions", raw), "amount")
    assert _counts() == before


@pytest.mark.parametrize("amount", ["19.90", "19.9", "20", '"19.90"', '"0.01"'])
def test_good_amounts_are_accepted(ctx, amount):
    raw = f'{{"customer_id": {ctx["customer"].pk}, "bill_number": "B-ok", "amount": {amount}}}'
    response = _post_raw(ctx["client"], "/v2/transactions", raw)
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("bill_number", ["x" * 101, "B\u00001", "", "   ", 12, None, ["B"], {"b": 1}])
def test_bad_bill_numbers_are_refused_and_change_nothing(ctx, bill_number):
    before = _counts()
    response = ctx["client"].post("/v2/transactions", {"customer_id": ctx["customer"].pk,
                                                       "bill_number": bill_number, "amount": "5"}, format="json")
    _assert_refused(response, "bill_number")
    assert _counts() == before


def test_a_bill_number_of_the_column_length_is_accepted(ctx):
    bill = "B" * Transaction._meta.get_field("bill_number").max_length
    response = ctx["client"].post("/v2/transactions", {"customer_id": ctx["customer"].pk, "bill_number": bill,
                                                       "amount": "5"}, format="json")
    assert response.status_code == 201 and response.json()["bill_number"] == bill


@pytest.mark.parametrize("path", ["/v2/points/issue", "/v2/points/redeem"])
@pytest.mark.parametrize("points", [
    str(10 ** 30), str(2 ** 31), "1.9", "1.0", "true", "false", '"12"', "0", "-3", "null", "[5]", '{"n": 5}',
    '"NaN"', HUGE,
])
def test_bad_points_are_refused_and_change_nothing(ctx, path, points):
    before = _counts()
    raw = f'{{"customer_id": {ctx["customer"].pk}, "points": {points}}}'
    _assert_refused(_post_raw(ctx["client"], path, raw), "points")
    assert _counts() == before


def test_the_largest_points_value_is_accepted_once_and_the_balance_cannot_overflow(make_customer, ctx):
    client, customer = ctx["client"], make_customer(ctx["customer"].org)
    top = 2 ** 31 - 1
    response = client.post("/v2/points/issue", {"customer_id": customer.pk, "points": top}, format="json")
    assert response.status_code == 200 and response.json()["balance"] == top
    before = _counts()
    response = client.post("/v2/points/issue", {"customer_id": customer.pk, "points": 1}, format="json")
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["errors"][0]["code"] == 4109 and body["balance"] == top
    assert _counts() == before


def test_a_transaction_whose_points_would_overflow_the_balance_changes_nothing(give_points, make_customer, ctx):
    client, customer = ctx["client"], make_customer(ctx["customer"].org)
    give_points(customer.org, customer.pk, 2 ** 31 - 100)
    before = _counts()
    response = client.post("/v2/transactions", {"customer_id": customer.pk, "bill_number": "B-big",
                                                 "amount": "1000.00"}, format="json")
    assert response.status_code == 409, response.content
    assert response.json()["errors"][0]["code"] == 4109
    assert _counts() == before


@pytest.mark.parametrize("customer_id", [str(10 ** 30), str(2 ** 63), '"1"', "1.5", "true", "[1]", "-1", "0", HUGE])
@pytest.mark.parametrize("path,extra", [
    ("/v2/transactions", '"bill_number": "B-2", "amount": 5'),
    ("/v2/points/issue", '"points": 5'),
    ("/v2/points/redeem", '"points": 5'),
    ("/v2/events", '"event": "visit"'),
])
def test_bad_customer_ids_are_refused_and_change_nothing(ctx, customer_id, path, extra):
    before = _counts()
    _assert_refused(_post_raw(ctx["client"], path, f'{{"customer_id": {customer_id}, {extra}}}'), "customer_id")
    assert _counts() == before


@pytest.mark.parametrize("path,body,field", [
    ("/v2/transactions", {"customer_id": None, "bill_number": "B", "amount": "5"}, "customer_id"),
    ("/v2/transactions", {"customer_id": "CID", "bill_number": None, "amount": "5"}, "bill_number"),
    ("/v2/transactions", {"customer_id": "CID", "bill_number": "B", "amount": None}, "amount"),
    ("/v2/points/issue", {"customer_id": None, "points": 5}, "customer_id"),
    ("/v2/points/redeem", {"customer_id": "CID", "points": None}, "points"),
    ("/v2/events", {"event": None}, "event"),
    ("/v2/stores", {"code": None, "name": "X"}, "code"),
    ("/v2/tills", {"store": None}, "store"),
    ("/v2/behavioral-events", {"name": None}, "name"),
])
def test_null_for_a_required_field_is_refused(ctx, path, body, field):
    body = {k: (ctx["customer"].pk if v == "CID" else v) for k, v in body.items()}
    before = _counts()
    _assert_refused(ctx["client"].post(path, body, format="json"), field)
    assert _counts() == before


def test_an_event_may_name_no_customer(ctx):
    response = ctx["client"].post("/v2/events", {"event": "visit", "customer_id": None}, format="json")
    assert response.status_code == 201 and response.json()["customer_id"] is None


def test_another_orgs_customer_is_not_found_and_changes_nothing(make_customer, ctx, globex):
    other = make_customer(globex)
    before = _counts()
    response = ctx["client"].post("/v2/points/issue", {"customer_id": other.pk, "points": 5}, format="json")
    assert response.status_code == 404 and response.json()["errors"][0]["code"] == 4104
    assert _counts() == before


@pytest.mark.parametrize("path,body", [
    ("/v2/transactions", {"bill_number": "B", "amount": "5"}),
    ("/v2/transactions", {"customer_id": "CID", "amount": "5"}),
    ("/v2/transactions", {"customer_id": "CID", "bill_number": "B"}),
    ("/v2/points/issue", {"customer_id": "CID"}),
    ("/v2/points/redeem", {"points": 5}),
    ("/v2/events", {}),
    ("/v2/stores", {"name": "No code"}),
    ("/v2/stores", {"code": "no-name"}),
    ("/v2/tills", {}),
    ("/v2/behavioral-events", {}),
])
def test_missing_required_fields_are_refused(ctx, path, body):
    body = {k: (ctx["customer"].pk if v == "CID" else v) for k, v in body.items()}
    before = _counts()
    response = ctx["client"].post(path, body, format="json")
    _assert_refused(response, None)
    assert response.json()["fields"], response.json()
    assert _counts() == before


@pytest.mark.parametrize("path", ["/v2/customers", "/v2/transactions", "/v2/points/issue", "/v2/points/redeem",
                                  "/v2/events", "/v2/stores", "/v2/tills", "/v2/behavioral-events"])
@pytest.mark.parametrize("raw", ["[]", "[1, 2]", '"text"', "12", "null", "true"])
def test_a_body_that_is_not_an_object_is_refused(ctx, path, raw):
    before = _counts()
    _assert_refused(_post_raw(ctx["client"], path, raw), None)
    assert _counts() == before


def test_unknown_fields_are_refused_by_name(ctx):
    before = _counts()
    response = ctx["client"].post("/v2/customers", {"mobile": "+4915550001", "bogusField": 1}, format="json")
    _assert_refused(response, "bogusField")
    assert "bogusField" in response.json()["errors"][0]["message"]
    assert _counts() == before


def test_a_known_field_in_another_casing_is_refused_with_the_right_name(ctx):
    before = _counts()
    response = ctx["client"].post("/v2/customers", {"mobile": "+4915550002", "firstName": "Ann"}, format="json")
    _assert_refused(response, "firstName")
    assert "first_name" in response.json()["errors"][0]["message"]
    assert "first_name" in response.json()["fields"]["firstName"][0]
    assert _counts() == before
    customer = ctx["customer"]
    response = ctx["client"].patch(f"/v2/customers/{customer.pk}", {"lastName": "Lee"}, format="json")
    _assert_refused(response, "lastName")
    assert Profile.objects.get(pk=customer.pk).last_name is None


@pytest.mark.parametrize("path,body,field", [
    ("/v2/transactions", {"customer_id": "CID", "bill_number": "B", "amount": "5", "note": "x"}, "note"),
    ("/v2/points/issue", {"customer_id": "CID", "points": 5, "reason": "gift"}, "reason"),
    ("/v2/points/redeem", {"customer_id": "CID", "points": 5, "Points": 5}, "Points"),
    ("/v2/events", {"event": "visit", "customerId": "CID"}, "customerId"),
    ("/v2/stores", {"code": "acme-new", "name": "New", "region": "north"}, "region"),
    ("/v2/tills", {"store": "acme-in1", "secret": "mine"}, "secret"),
    ("/v2/behavioral-events", {"name": "buy", "attrs": ["a"]}, "attrs"),
])
def test_unknown_fields_are_refused_on_every_write(ctx, path, body, field):
    body = {k: (ctx["customer"].pk if v == "CID" else v) for k, v in body.items()}
    before = _counts()
    response = ctx["client"].post(path, body, format="json")
    _assert_refused(response, field)
    assert _counts() == before


@pytest.mark.parametrize("body,field", [
    ({"mobile": 4915550003}, "mobile"),
    ({"mobile": "+4915550003", "first_name": 12}, "first_name"),
    ({"email": ["a@example.com"]}, "email"),
    ({"mobile": "+4915550003", "last_name": "x" * 255}, "last_name"),
    ({"mobile": "+49" + "1" * 40}, "mobile"),
    ({"email": "a" * 250 + "@example.com"}, "email"),
    ({"mobile": "+4915550003", "first_name": "A\u0000n"}, "first_name"),
    ({"email": "not-an-email"}, "email"),
    ({"first_name": "Only a name"}, "mobile"),
    ({}, "mobile"),
])
def test_bad_customer_registrations_are_refused_and_change_nothing(ctx, body, field):
    before = _counts()
    _assert_refused(ctx["client"].post("/v2/customers", body, format="json"), field)
    assert _counts() == before


@pytest.mark.parametrize("body,field", [
    ({"first_name": 5}, "first_name"),
    ({"email": "x" * 300}, "email"),
    ({"mobile": None, "email": None}, "mobile"),
])
def test_bad_customer_updates_are_refused_and_change_nothing(ctx, body, field):
    customer = ctx["customer"]
    before = Profile.objects.values().get(pk=customer.pk)
    _assert_refused(ctx["client"].patch(f"/v2/customers/{customer.pk}", body, format="json"), field)
    assert Profile.objects.values().get(pk=customer.pk) == before


@pytest.mark.parametrize("body,field", [
    ({"event": 5}, "event"),
    ({"event": "v" * 101}, "event"),
    ({"event": "visit", "attributes": ["aisle"]}, "attributes"),
    ({"event": "visit", "attributes": "aisle"}, "attributes"),
    ({"event": "visit", "attributes": {"colour": "red"}}, "attributes"),
])
def test_bad_events_are_refused_and_change_nothing(ctx, body, field):
    before = _counts()
    _assert_refused(ctx["client"].post("/v2/events", body, format="json"), field)
    assert _counts() == before


@pytest.mark.parametrize("path,body,field", [
    ("/v2/stores", {"code": 5, "name": "Five"}, "code"),
    ("/v2/stores", {"code": "acme-x", "name": 5}, "name"),
    ("/v2/stores", {"code": "acme-x", "name": "N" * 201}, "name"),
    ("/v2/stores", {"code": "acme-x", "name": "X", "city": ["Oslo"]}, "city"),
    ("/v2/stores", {"code": "c" * 51, "name": "X"}, "code"),
    ("/v2/tills", {"store": 5}, "store"),
    ("/v2/tills", {"store": "acme-in1", "code": "t" * 101}, "code"),
    ("/v2/tills", {"store": "acme-in1", "code": {"c": 1}}, "code"),
    ("/v2/behavioral-events", {"name": 5}, "name"),
    ("/v2/behavioral-events", {"name": "n" * 101}, "name"),
    ("/v2/behavioral-events", {"name": "buy", "description": 5}, "description"),
    ("/v2/behavioral-events", {"name": "buy", "description": "d" * 5001}, "description"),
    ("/v2/behavioral-events", {"name": "buy", "attributes": [1, 2]}, "attributes"),
    ("/v2/behavioral-events", {"name": "buy", "attributes": ["a" * 101]}, "attributes"),
    ("/v2/behavioral-events", {"name": "buy", "attributes": {"a": 1}}, "attributes"),
])
def test_bad_config_writes_are_refused_and_change_nothing(ctx, path, body, field):
    before = _counts()
    _assert_refused(ctx["client"].post(path, body, format="json"), field)
    assert _counts() == before


def test_services_refuse_non_integer_points_too(ctx):
    """The service is the last line: a caller inside the product gets the same answer as the API."""
    customer = ctx["customer"]
    for points in (True, 1.9, "12", 2 ** 31):
        with pytest.raises(InvalidInput):
            loyalty_services.points_issue(caller=_System(), org=customer.org, customer_id=customer.pk, points=points)
    assert PointsAccount.objects.get(customer_id=customer.pk).balance == 50


class _System:
    till_id = None
    api_client_id = None


@pytest.mark.postgres
def test_out_of_range_values_are_refused_on_postgresql(ctx):
    """PostgreSQL's integer column stops at 2^31 - 1 and bigint at 2^63 - 1; neither may reach the database."""
    client, customer = ctx["client"], ctx["customer"]
    before = _counts()
    for raw in (f'{{"customer_id": {customer.pk}, "points": {2 ** 31}}}',
                f'{{"customer_id": {2 ** 63}, "points": 1}}'):
        _assert_refused(_post_raw(client, "/v2/points/issue", raw), None)
    _assert_refused(_post_raw(client, "/v2/transactions",
                              f'{{"customer_id": {customer.pk}, "bill_number": "B", "amount": 9999999999.99}}'),
                    "amount")
    assert client.get(f"/v2/points/{2 ** 63}").status_code == 404
    assert client.get(f"/v2/customers/{10 ** 30}").status_code == 404
    response = client.get(f"/v2/transactions?customer_id={10 ** 30}")
    assert response.status_code == 400 and "customer_id" in response.json()["fields"]
    assert _counts() == before

