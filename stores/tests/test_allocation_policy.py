"""A store manager may not allocate their stores to a group wider than the stores' current group; the
allocation page shows where stores come from before anything is saved."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm

from accessadmin.errors import Forbidden
from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from stores import services
from stores.models import Store
from stores.policies import MANAGE_STORE, is_wider, may_allocate_to

pytestmark = pytest.mark.django_db

CUSTOMER_READ = ("customer", "data", "read")
CUSTOMER_WRITE = ("customer", "data", "write")
POINTS_READ = ("points", "data", "read")


@pytest.mark.parametrize(("target", "current", "wider"), [
    (set(), set(), False),
    ({CUSTOMER_READ}, {CUSTOMER_READ}, False),                      # the same cells
    ({CUSTOMER_READ}, {CUSTOMER_READ, CUSTOMER_WRITE}, False),      # fewer
    ({CUSTOMER_READ, POINTS_READ}, {CUSTOMER_READ}, True),          # one more
    ({POINTS_READ}, {CUSTOMER_READ, CUSTOMER_WRITE}, True),         # fewer, but one the current lacks
    ({CUSTOMER_WRITE}, {CUSTOMER_READ}, True),                      # write is a cell of its own
])
def test_wider_means_not_a_subset_of_the_current_cells(target, current, wider):
    assert is_wider(frozenset(target), frozenset(current)) is wider


def test_only_access_control_may_widen(acme):
    manager = make_user(acme, username="acme-mgr")
    controller = make_user(acme, username="acme-ac", privileges=[Privilege.ACCESS_CONTROL])
    admin = make_user(acme, username="acme-adm", privileges=[Privilege.ADMIN])
    narrow, wide = frozenset({CUSTOMER_READ}), frozenset({CUSTOMER_READ, POINTS_READ})
    assert may_allocate_to(manager, group_grants=narrow, current_grants=wide)
    assert not may_allocate_to(manager, group_grants=wide, current_grants=narrow)
    assert may_allocate_to(controller, group_grants=wide, current_grants=narrow)
    assert may_allocate_to(admin, group_grants=wide, current_grants=narrow)


@pytest.fixture
def managed(acme, make_group, make_store):
    """A manager of acme-s001 (allocated to "Reader": customer data read) and acme-s002 (no group: POS)."""
    reader = make_group(acme, "Reader", grants={CUSTOMER_READ})
    s1 = make_store(acme, "acme-s001", group=reader)
    s2 = make_store(acme, "acme-s002")
    manager = make_user(acme, username="acme-mgr")
    assign_perm(MANAGE_STORE, manager, s1)
    assign_perm(MANAGE_STORE, manager, s2)
    return manager, reader


def test_manager_cannot_move_a_store_to_the_admin_group_by_api_or_page(acme, managed, builtin, api, pages):
    manager, reader = managed
    admin_group = builtin("Admin")
    r = api(manager).patch("/api/v1/stores/acme-s001/", {"access_group": admin_group.pk}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "group_too_wide"
    r = api(manager).patch("/api/v1/stores/acme-s002/", {"access_group": admin_group.pk}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "group_too_wide"  # wider than the default (POS) too
    assert "you may choose only a group that allows nothing more than Reader" in pages(manager).get(
        "/stores/acme-s001/").content.decode()
    r = pages(manager).post("/stores/acme-s001/", {"name": "Renamed", "city": "", "access_group": admin_group.pk})
    assert r.status_code == 200 and "Admin allows more than the store&#x27;s current group." in r.content.decode()
    s1 = Store.objects.get(code="acme-s001")
    assert s1.access_group == reader and s1.name != "Renamed"  # nothing changed, not even the name
    assert Store.objects.get(code="acme-s002").access_group is None
    assert not AuditEvent.objects.filter(action="group.allocate", target_id=str(admin_group.pk)).exists()


def test_manager_may_move_to_a_group_that_is_not_wider(acme, managed, make_group, api, pages, builtin):
    manager, reader = managed
    narrower = make_group(acme, "Nothing", grants=set())
    r = api(manager).patch("/api/v1/stores/acme-s001/", {"access_group": narrower.pk}, format="json")
    assert r.status_code == 200 and r.json()["access_group"]["name"] == "Nothing"
    # POS (the default of acme-s002) holds customer data read: Reader is inside it.
    r = pages(manager).post("/stores/acme-s002/", {"name": "Two", "city": "", "access_group": reader.pk},
                            follow=True)
    assert "Store acme-s002 saved." in r.content.decode()
    assert Store.objects.get(code="acme-s002").access_group == reader
    # and back to the default: POS is wider than Reader, refused
    r = api(manager).patch("/api/v1/stores/acme-s002/", {"access_group": None}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "group_too_wide"


def test_access_control_may_widen(acme, managed, builtin, ac_user, api):
    r = api(ac_user).patch("/api/v1/stores/acme-s001/", {"access_group": builtin("Admin").pk}, format="json")
    assert r.status_code == 200 and r.json()["access_group"]["name"] == "Admin"


def test_service_refuses_many_stores_at_once_and_lists_them(acme, managed, builtin):
    manager, _ = managed
    with pytest.raises(Forbidden) as caught:
        services.stores_allocate(actor=manager, org=acme, group=builtin("Admin"),
                                 store_codes=["acme-s001", "acme-s002"])
    assert caught.value.code == "group_too_wide" and caught.value.extra["stores"] == ["acme-s001", "acme-s002"]


# --- where the stores come from, before saving ------------------------------------------------------------

def test_allocation_shows_origins_before_saving_then_allocates(acme, acme_admin, make_group, make_store, pages):
    wechat = make_group(acme, "WeChat")
    kiosk = make_group(acme, "Kiosk")
    make_store(acme, "acme-s001", group=wechat)
    make_store(acme, "acme-s002", group=wechat)
    make_store(acme, "acme-s003")
    make_store(acme, "acme-s004", group=kiosk)
    client = pages(acme_admin)
    codes = ["acme-s001", "acme-s002", "acme-s003", "acme-s004"]
    r = client.post(f"/groups/{kiosk.pk}/allocate/", {"stores": codes})
    html = r.content.decode()
    assert r.status_code == 200 and "Allocate 3 stores to Kiosk?" in html
    rows = [row for row in html.split("<tr>") if "</td>" in row]
    assert "WeChat" in rows[0] and "acme-s001, acme-s002" in rows[0] and "<td>2</td>" in rows[0]
    assert "POS" in rows[1] and "default group" in rows[1] and "acme-s003" in rows[1] and "<td>1</td>" in rows[1]
    assert "1 store already in Kiosk stays as it is." in html
    assert Store.objects.filter(access_group=kiosk).count() == 1  # nothing saved yet
    r = client.post(f"/groups/{kiosk.pk}/allocate/", {"stores": codes, "confirm": "1"}, follow=True)
    assert "3 stores allocated to Kiosk." in r.content.decode()
    assert Store.objects.filter(access_group=kiosk).count() == 4


def test_allocation_preview_refuses_unknown_stores_without_a_confirm_button(acme, acme_admin, make_group,
                                                                            make_store, pages):
    kiosk = make_group(acme, "Kiosk")
    make_store(acme, "acme-s001")
    html = pages(acme_admin).post(f"/groups/{kiosk.pk}/allocate/",
                                  {"stores": ["acme-s001", "nope"]}).content.decode()
    assert "Unknown store: nope." in html and 'name="confirm"' not in html


def test_allocation_preview_query_count_is_constant(acme, acme_admin, make_group, make_stores, pages):
    kiosk = make_group(acme, "Kiosk")
    make_stores(acme, 60)
    client = pages(acme_admin)
    client.get("/")  # session and org loaded once
    counts = []
    for n in (1, 60):
        with CaptureQueriesContext(connection) as ctx:
            r = client.post(f"/groups/{kiosk.pk}/allocate/", {"stores": [f"acme-s{i:03d}" for i in range(1, n + 1)]})
        assert r.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
