"""The store, till and API client list pages: header sort, chips, page size, CSV, bulk actions, query counts."""

import csv
import io

import pytest

from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from stores import services
from stores.models import ApiClient, Store, Till

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def _codes(html: str, codes) -> list[str]:
    """Returns `codes` in the order they first appear in `html`."""
    return sorted((c for c in codes if c in html), key=html.index)


def test_store_list_sorts_names_case_insensitively_by_header(acme, acme_admin, pages):
    for code, name in (("acme-a", "banana"), ("acme-b", "Apple"), ("acme-c", "cherry"), ("acme-d", "apricot")):
        services.store_create(actor=None, org=acme, code=code, name=name)
    client = pages(acme_admin)
    html = client.get("/stores/?sort=name").content.decode()
    assert _codes(html, ["Apple", "apricot", "banana", "cherry"]) == ["Apple", "apricot", "banana", "cherry"]
    assert 'aria-sort="ascending"><a class="sort sorted" href="?sort=-name"' in html
    html = client.get("/stores/?sort=-name").content.decode()
    assert _codes(html, ["Apple", "apricot", "banana", "cherry"]) == ["cherry", "banana", "apricot", "Apple"]
    assert 'aria-sort="descending"' in html
    assert client.get("/stores/?sort=nonsense").status_code == 200


def test_store_list_filters_are_chips_that_remove_one_filter(acme, acme_admin, pages, make_group):
    group = make_group(acme, "WeChat")
    services.store_create(actor=None, org=acme, code="acme-s1", name="Oslo one", city="Oslo", access_group=group)
    services.store_create(actor=None, org=acme, code="acme-s2", name="Oslo two", city="Oslo")
    client = pages(acme_admin)
    html = client.get(f"/stores/?q=oslo&group={group.pk}&sort=-code").content.decode()
    assert "acme-s1" in html and "acme-s2" not in html
    assert "Search: <strong>oslo</strong>" in html and "Access group: <strong>WeChat</strong>" in html
    assert f'href="?group={group.pk}&amp;sort=-code" aria-label="Remove filter Search: oslo"' in html
    assert 'href="?q=oslo&amp;sort=-code" aria-label="Remove filter Access group: WeChat"' in html
    assert 'href="?sort=-code">Clear all filters' in html
    html = client.get("/stores/?q=nothing-like-this").content.decode()
    assert "No entries match these filters." in html and "Clear the filters" in html
    html = client.get("/stores/?group=999999").content.decode()  # an unknown group is no filter, never a 500
    assert "acme-s1" in html and "acme-s2" in html


def test_store_list_page_size(acme, acme_admin, pages, make_stores):
    make_stores(acme, 60)
    client = pages(acme_admin)
    assert client.get("/stores/").content.decode().count('name="ids"') == 25
    assert client.get("/stores/?per_page=50").content.decode().count('name="ids"') == 50
    assert client.get("/stores/?per_page=100").content.decode().count('name="ids"') == 60
    assert client.get("/stores/?per_page=100000").content.decode().count('name="ids"') == 25
    assert client.get("/stores/?per_page=x&page=zz").status_code == 200


def test_store_csv_exports_the_filtered_sorted_rows_safely(acme, acme_admin, globex, pages, make_group):
    group = make_group(acme, "WeChat")
    services.store_create(actor=None, org=acme, code="acme-s1", name="=cmd|' /C calc'!A0", city="Oslo",
                          access_group=group)
    services.store_create(actor=None, org=acme, code="acme-s2", name="plain", city="Bergen")
    services.store_create(actor=None, org=acme, code="acme-s3", name="other", city="Oslo")
    services.store_create(actor=None, org=globex, code="globex-s1", name="theirs", city="Oslo")
    response = pages(acme_admin).get("/stores/?q=oslo&sort=-code&format=csv")
    assert response["Content-Disposition"].startswith('attachment; filename="stores-')
    assert _csv(response) == [["Code", "Name", "City", "Access group"],
                              ["acme-s3", "other", "Oslo", ""],
                              ["acme-s1", "'=cmd|' /C calc'!A0", "Oslo", "WeChat"]]


def test_store_list_and_csv_query_counts(acme, acme_admin, pages, make_group, constant_queries,
                                         django_assert_num_queries):
    group = make_group(acme, "WeChat")
    services.store_create(actor=None, org=acme, code="acme-x0", name="First", access_group=group)
    client = pages(acme_admin)

    def add():
        for i in range(1, 120):
            services.store_create(actor=None, org=acme, code=f"acme-x{i:03d}", name=f"S{i}",
                                  access_group=group if i % 2 else None)
    with django_assert_num_queries(7):
        assert len(_csv(client.get("/stores/?format=csv&sort=-name"))) == 2
    r = constant_queries(client, "/stores/?sort=-group&per_page=100", 9, add)
    assert r.content.decode().count('name="ids"') == 100
    with django_assert_num_queries(7):
        assert len(_csv(client.get("/stores/?format=csv&sort=-name"))) == 121


def test_bulk_allocation_confirms_where_stores_come_from_then_allocates(acme, globex, acme_admin, pages,
                                                                       make_group, make_stores):
    wechat, kiosk = make_group(acme, "WeChat"), make_group(acme, "Kiosk")
    stores = make_stores(acme, 3)
    services.stores_allocate(actor=None, org=acme, group=wechat, store_codes=["acme-s001"])
    theirs = services.store_create(actor=None, org=globex, code="globex-s1", name="theirs")
    ids = [s.pk for s in stores] + [theirs.pk]
    client = pages(acme_admin)
    r = client.post("/stores/-/bulk/", {"action": "allocate", "group": kiosk.pk, "ids": ids})
    html = r.content.decode()
    assert r.status_code == 200 and "Allocate 3 stores to Kiosk?" in html
    assert "WeChat" in html and "POS" in html and "(default group: no group of their own)" in html
    assert "globex-s1" not in html
    assert Store.objects.filter(access_group=kiosk).count() == 0  # nothing yet
    before = AuditEvent.objects.filter(action="group.allocate").count()
    r = client.post("/stores/-/bulk/", {"action": "allocate", "group": kiosk.pk, "ids": ids, "confirm": "1"},
                    follow=True)
    assert "3 stores allocated to Kiosk." in r.content.decode()
    assert set(Store.objects.filter(access_group=kiosk).values_list("code", flat=True)) == {
        "acme-s001", "acme-s002", "acme-s003"}
    assert Store.objects.get(pk=theirs.pk).access_group is None
    events = AuditEvent.objects.filter(action="group.allocate").order_by("pk")[before:]
    assert {(e.before["store"], e.before["group"], e.actor_id) for e in events} == {
        ("acme-s001", "WeChat", acme_admin.pk), ("acme-s002", None, acme_admin.pk),
        ("acme-s003", None, acme_admin.pk)}


def test_bulk_allocation_refusals_change_nothing(acme, globex, acme_admin, globex_admin, pages, make_group,
                                                make_stores):
    kiosk = make_group(acme, "Kiosk")
    theirs = make_group(globex, "Theirs")
    stores = make_stores(acme, 2)
    ids = [s.pk for s in stores]
    # another org's admin: acme's stores are not theirs (ignored), so there is nothing to allocate
    r = pages(globex_admin).post("/stores/-/bulk/", {"group": theirs.pk, "ids": ids, "confirm": "1"}, follow=True)
    assert "Select at least one store" in r.content.decode()
    # a group of another org is no target
    r = pages(acme_admin).post("/stores/-/bulk/", {"group": theirs.pk, "ids": ids, "confirm": "1"}, follow=True)
    assert "Select at least one store" in r.content.decode()
    # without the privilege and without delegated stores: 403
    nobody = make_user(acme, username="nobody", privileges=[Privilege.CS_AGENT])
    assert pages(nobody).post("/stores/-/bulk/", {"group": kiosk.pk, "ids": ids, "confirm": "1"}).status_code == 403
    # a GET is not a bulk action
    assert pages(acme_admin).get("/stores/-/bulk/").status_code == 405
    assert not Store.objects.filter(access_group__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="group.allocate").exists()


def test_till_list_sort_csv_and_query_counts(acme, acme_admin, pages, make_store, make_till, constant_queries,
                                            django_assert_num_queries):
    store = make_store(acme, "acme-s1")
    make_till(acme, store, code="acme-s1-tB")
    client = pages(acme_admin)
    r = constant_queries(client, "/stores/-/tills/?per_page=100", 8,
                         lambda: [make_till(acme, store, code=f"acme-s1-t{i:02d}") for i in range(60)])
    assert r.content.decode().count('name="ids"') == 61
    html = client.get(f"/stores/-/tills/?store={store.code}&sort=-code&per_page=100").content.decode()
    assert "Store: <strong>acme-s1</strong>" in html
    assert html.index("acme-s1-tB") < html.index("acme-s1-t59") < html.index("acme-s1-t00")
    with django_assert_num_queries(5):
        rows = _csv(client.get("/stores/-/tills/?format=csv&sort=code"))
    assert rows[0] == ["Till", "Store", "Access group", "Status", "Last used", "Secret rotated"]
    assert len(rows) == 62 and rows[1][:4] == ["acme-s1-t00", "acme-s1", "", "active"]


def test_bulk_till_deactivation(acme, globex, acme_admin, pages, make_till):
    mine = [make_till(acme, code=f"acme-t{i}") for i in range(2)]
    theirs = make_till(globex, code="globex-t1")
    services.till_set_active(actor=None, org=acme, till=mine[1], active=False)
    ids = [t.pk for t in mine] + [theirs.pk]
    client = pages(acme_admin)
    html = client.post("/stores/-/tills/bulk/", {"action": "deactivate", "ids": ids}).content.decode()
    assert "Deactivate tills" in html and "1 will change" in html and "acme-t0" in html
    assert "1 left as they are" in html and "already inactive" in html and "globex-t1" not in html
    assert Till.objects.get(pk=mine[0].pk).is_active
    r = client.post("/stores/-/tills/bulk/", {"action": "deactivate", "ids": ids, "confirm": "1"}, follow=True)
    assert "1 till(s) deactivated: acme-t0." in r.content.decode()
    assert not Till.objects.get(pk=mine[0].pk).is_active and Till.objects.get(pk=theirs.pk).is_active
    event = AuditEvent.objects.get(action="till.deactivate", target_id=str(mine[0].pk))
    assert event.actor == acme_admin
    csr = make_user(acme, username="csr2", privileges=[Privilege.CS_AGENT])
    assert pages(csr).post("/stores/-/tills/bulk/", {"ids": ids, "confirm": "1"}).status_code == 403


def test_api_client_list_and_bulk_revoke(acme, globex, acme_admin, pages, make_group, make_api_client,
                                         constant_queries, django_assert_num_queries):
    group = make_group(acme, "Partner")
    first, _ = make_api_client(acme, group, name="beta feed")
    theirs, _ = make_api_client(globex, make_group(globex, "G"), name="theirs")
    client = pages(acme_admin)
    r = constant_queries(client, "/stores/-/api-clients/?sort=name&per_page=50", 6,
                         lambda: [make_api_client(acme, group, name=f"{'A' if i % 2 else 'a'}lpha {i:02d}")
                                  for i in range(30)])
    html = r.content.decode()
    assert html.index("alpha 00") < html.index("Alpha 01") < html.index("alpha 02") < html.index("beta feed")
    with django_assert_num_queries(5):
        rows = _csv(client.get("/stores/-/api-clients/?format=csv&q=beta"))
    assert [r[0] for r in rows] == ["Name", "beta feed"]
    html = client.post("/stores/-/api-clients/bulk/", {"ids": [first.pk, theirs.pk]}).content.decode()
    assert "Revoke API clients" in html and "beta feed" in html and "theirs" not in html
    assert ApiClient.objects.get(pk=first.pk).is_active
    r = client.post("/stores/-/api-clients/bulk/", {"ids": [first.pk, theirs.pk], "confirm": "1"}, follow=True)
    assert "1 API client(s) revoked: beta feed." in r.content.decode()
    assert not ApiClient.objects.get(pk=first.pk).is_active and ApiClient.objects.get(pk=theirs.pk).is_active
    assert AuditEvent.objects.filter(action="api_client.revoke", actor=acme_admin).count() == 1
