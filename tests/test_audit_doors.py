"""The audit log records who wrote, through the doors of the domain apps: the till API (the till or the API
client, never "system") and the Django admin (the staff user)."""

import pytest

from accessadmin.models import AuditEvent
from groups.builtins import ADMIN
from loyalty import services as loyalty_services

pytestmark = pytest.mark.django_db


def _who(action: str) -> tuple:
    event = AuditEvent.objects.get(action=action)
    return event.actor_kind, event.actor_label, event.actor_id, event.actor_repr


def test_till_api_writes_are_audited_as_the_till(acme, make_till, make_customer, till_client):
    till = make_till(acme, code="acme-a1-t1")
    client = till_client(till.code)
    response = client.post("/v2/customers", {"mobile": "+4917000099", "first_name": "Ann"}, format="json")
    assert response.status_code == 201
    customer_id = response.json()["id"]
    assert client.post("/v2/transactions", {"customer_id": customer_id, "bill_number": "B-7", "amount": "12.50"},
                       format="json").status_code == 201
    assert client.post("/v2/points/issue", {"customer_id": customer_id, "points": 5}, format="json").status_code == 200
    assert client.post("/v2/points/redeem", {"customer_id": customer_id, "points": 3},
                       format="json").status_code == 200
    as_the_till = ("till", "acme-a1-t1", None, "till:acme-a1-t1")
    for action in ("profile.create", "transaction.add", "points.issue", "points.redeem"):
        assert _who(action) == as_the_till, action
    event = AuditEvent.objects.get(action="points.redeem")
    assert (event.org, event.target_type, event.after) == (
        acme, "loyalty.pointsaccount", {"customer_id": customer_id, "points": -3, "balance": 14})


def test_till_api_writes_of_an_api_client_are_audited_as_the_client(acme, builtin, make_api_client, oauth_token,
                                                                  bearer_client):
    api_client, secret = make_api_client(acme, builtin(ADMIN), name="ERP")
    client = bearer_client(oauth_token(api_client.client_id, secret))
    assert client.post("/v2/stores", {"code": "acme-erp1", "name": "From the ERP"}, format="json").status_code == 201
    assert client.post("/v2/behavioral-events", {"name": "visit", "attributes": ["aisle"]},
                       format="json").status_code == 201
    assert client.post("/v2/events", {"event": "visit", "attributes": {"aisle": "3"}}, format="json").status_code == 201
    as_the_client = ("api_client", api_client.client_id, None, f"client:{api_client.client_id}")
    for action in ("store.create", "event_definition.create", "event.post"):
        assert _who(action) == as_the_client, action


def test_event_definitions_are_audited_with_their_actor(acme, acme_admin):
    definition = loyalty_services.event_definition_create(org=acme, name="app_open", attributes=["platform"],
                                                          actor=acme_admin)
    event = AuditEvent.objects.get(action="event_definition.create")
    assert (event.actor, event.target_type, event.target_id, event.after) == (
        acme_admin, "loyalty.behavioraleventdefinition", str(definition.pk),
        {"name": "app_open", "description": "", "attributes": ["platform"]})


def test_django_admin_writes_of_a_store_show_the_staff_user(acme, acme_admin, platform_staff, pages, make_stores):
    store = make_stores(acme, 1)[0]
    response = pages(platform_staff).post(f"/admin/stores/store/{store.pk}/change/", {
        "org": acme.pk, "code": store.code, "name": "Renamed in the admin", "city": "Oslo", "access_group": ""})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.change")
    assert (event.org, event.actor, event.actor_repr, event.before, event.after) == (
        acme, platform_staff, "platform", {"name": "Store 1"}, {"name": "Renamed in the admin"})
    history = pages(acme_admin).get("/audit/?type=stores.store").content.decode()
    assert "<td>platform</td>" in history and "Renamed in the admin" in history
