from datetime import timedelta

import pytest
from django.utils import timezone

from privacy import services
from privacy.models import DeletionRequest, Status

URL = "/v2/requests"


def body(identifier_type="mobile", value="+491700000001", **extra):
    return {"type": "CUSTOMER", "baseType": "DELETE", "comments": "asked at the till",
            "customerIdentificationInfo": {"source": "INSTORE", "identifierType": identifier_type,
                                           "identifierValue": value}, **extra}


def item(pk, status, comments=""):
    return [{"type": "CUSTOMER", "baseType": "DELETE", "id": pk, "status": status, "comments": comments}]


@pytest.fixture
def tills(builtin, make_store, make_till, till_client):
    """tills(org, group=Admin, n=2) → clients of `n` new tills of stores allocated to `group`."""
    def make(org, group=None, n=2):
        group = group or builtin("Admin")
        return [till_client(make_till(org, store=make_store(org, group=group)).code) for _ in range(n)]
    return make


def test_full_life_with_approval_by_another_till(tills, acme, shopper, enable):
    enable(acme, waiting_period_days=30)
    customer = shopper(acme)
    maker, checker = tills(acme)
    r = maker.post(URL, body(), format="json")
    assert r.status_code == 200
    assert r.json() == {"createdId": r.json()["createdId"], "warnings": []}
    pk = r.json()["createdId"]
    assert maker.get(f"/v2/customers/{customer.pk}").json()["status"] == "DELETION_PENDING"
    assert maker.get(f"{URL}/{pk}").json()["status"] == "PENDING_APPROVAL"
    refused = maker.put(URL, item(pk, "APPROVED"), format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "own_request"
    r = checker.put(f"{URL}/", item(pk, "APPROVED"), format="json")
    assert r.status_code == 200
    assert r.json() == {"response": [{"entityId": pk, "result": "APPROVED", "warnings": []}], "totalCount": 1,
                        "failureCount": 0}
    due = DeletionRequest.objects.get(pk=pk).due_at
    assert services.execute_due(now=due - timedelta(seconds=1)) == {}
    assert services.execute_due(now=due) == {"completed": 1}
    got = checker.get(f"{URL}/{pk}/").json()
    assert got["status"] == "COMPLETED" and got["customerId"] == customer.pk
    shown = checker.get(f"/v2/customers/{customer.pk}").json()
    assert (shown["status"], shown["email"], shown["mobile"], shown["first_name"]) == ("DELETED", None, None, None)
    assert checker.get("/v2/customers", {"mobile": "+491700000001"}).json() == {"customers": []}


def test_without_approval_and_no_wait(tills, acme, shopper, enable):
    enable(acme, approval_required=False, waiting_period_days=0)
    customer = shopper(acme)
    (till,) = tills(acme, n=1)
    pk = till.post(URL, body("email", "ann1@example.com"), format="json").json()["createdId"]
    assert till.get(f"{URL}/{pk}").json()["status"] == "APPROVED"
    assert services.execute_due(now=timezone.now()) == {"completed": 1}
    assert till.get(f"/v2/customers/{customer.pk}").json()["status"] == "DELETED"


def test_duplicates_return_the_open_request_with_a_warning(tills, acme, shopper, enable):
    enable(acme)
    customer = shopper(acme)
    (till,) = tills(acme, n=1)
    first = till.post(URL, body(), format="json").json()["createdId"]
    r = till.post(URL, body("id", str(customer.pk)), format="json")
    assert r.status_code == 200 and r.json()["createdId"] == first
    assert [w["code"] for w in r.json()["warnings"]] == ["request_exists"]


def test_errors(tills, acme, globex, shopper, enable):
    enable(acme)
    theirs = shopper(globex, 9)
    shopper(acme)
    (till,) = tills(acme, n=1)
    unknown = till.post(URL, body("mobile", "+499999999"), format="json")
    other = till.post(URL, body("id", str(theirs.pk)), format="json")
    assert unknown.status_code == other.status_code == 400
    assert unknown.json()["code"] == other.json()["code"] == "customer_not_found"
    bad = till.post(URL, body(identifier_type="fax"), format="json")
    assert bad.status_code == 400 and "identifierType" in str(bad.json())
    long = till.post(URL, body(comments="x" * 256), format="json")
    assert long.status_code == 400 and "comments" in str(long.json())
    pk = till.post(URL, body(), format="json").json()["createdId"]
    two = till.put(URL, item(pk, "CANCELLED") + item(pk, "CANCELLED"), format="json")
    assert two.status_code == 400 and two.json()["code"] == "one_request_only"
    assert DeletionRequest.objects.get(pk=pk).status == Status.PENDING_APPROVAL
    assert till.get(f"{URL}/999999").status_code == 404
    (globex_till,) = tills(globex, n=1)
    assert globex_till.get(f"{URL}/{pk}").status_code == 404


def test_disabled_and_not_allowed_callers(tills, builtin, make_group, acme, shopper, enable):
    customer = shopper(acme)
    (till,) = tills(acme, n=1)
    r = till.post(URL, body(), format="json")
    assert r.status_code == 400 and r.json()["code"] == "deletion_disabled"
    enable(acme)
    (pos,) = tills(acme, group=builtin("POS"), n=1)
    assert pos.post(URL, body(), format="json").status_code == 403
    readonly = make_group(acme, "Requests read", grants=[("request", "data", "read")])
    (reader,) = tills(acme, group=readonly, n=1)
    assert reader.post(URL, body(), format="json").status_code == 403
    assert DeletionRequest.objects.filter(customer=customer).count() == 0
