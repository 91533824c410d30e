"""Stores at scale: the kept store counts (equal to a real count after any mix of writes), allocation in
bulk (one audit event per store, a constant number of queries), the store search-as-you-type endpoint
(a manager sees only their stores), the store list's group filter and bulk target searched instead of
listed, and the generator of a large org."""

import random
import re

import pytest
from django.core.management import CommandError, call_command

from accessadmin.models import AuditEvent
from accessadmin.testing import make_user
from groups import selectors as group_selectors
from groups import services as group_services
from groups.models import AccessGroup
from stores import services
from stores.models import Store

pytestmark = pytest.mark.django_db


def _kept(org) -> dict:
    return {g: n for g, n in
            AccessGroup._meta.get_field("store_counts").related_model.objects.filter(org=org)
            .values_list("group_id", "count") if n}


def _real(org) -> dict:
    counts = {}
    for group_id in Store.objects.filter(org=org).values_list("access_group_id", flat=True):
        counts[group_id] = counts.get(group_id, 0) + 1
    return counts


# --- the kept counts -------------------------------------------------------------------------------------

def test_kept_counts_equal_a_real_count_after_random_writes(acme, globex, acme_admin, make_group, builtin):
    admin = acme_admin
    rng = random.Random(15)
    groups = [make_group(acme, f"G{i}") for i in range(5)] + [builtin("POS"), builtin("Admin")]
    theirs = make_group(globex, "Theirs")
    codes = [services.store_create(actor=None, org=acme, code=f"acme-r{i:03d}", name=f"R{i}",
                                   access_group=rng.choice([None, *groups])).code for i in range(40)]
    services.store_create(actor=None, org=globex, code="globex-r1", name="G", access_group=theirs)
    for step in range(60):
        group = rng.choice(groups)
        picked = rng.sample(codes, rng.randint(1, 12))
        kind = rng.random()
        if kind < 0.5:
            services.stores_allocate(actor=None, org=acme, group=group, store_codes=picked)
        elif kind < 0.8:
            inside = list(Store.objects.filter(org=acme, code__in=picked, access_group=group)
                          .values_list("code", flat=True))
            if inside:
                services.stores_unallocate(actor=None, org=acme, group=group, store_codes=inside)
        elif kind < 0.9:
            store = Store.objects.get(org=acme, code=rng.choice(codes))
            services.store_update(actor=admin, org=acme, store=store, access_group=rng.choice([None, *groups]))
        else:
            codes.append(services.store_create(actor=None, org=acme, code=f"acme-n{step:03d}", name="N",
                                               access_group=rng.choice([None, group])).code)
    assert _kept(acme) == _real(acme) and _kept(globex) == _real(globex)
    assert services.store_counts_check(org=acme) == {}
    # The pages read them: the group list's column and the default-group page's "stores inherit it".
    listed = {g.pk: g.store_count for g in group_selectors.group_list(org=acme)}
    assert all(listed[g.pk] == _real(acme).get(g.pk, 0) for g in groups)
    assert group_selectors.inheriting_store_count(org=acme) == _real(acme).get(None, 0)


def test_moving_stores_while_deactivating_keeps_the_counts(acme, make_group, make_stores, allocate):
    old, new = make_group(acme, "Old"), make_group(acme, "New")
    allocate(acme, old, [s.code for s in make_stores(acme, 4)])
    group_services.group_deactivate(actor=None, org=acme, group=old, move_to=new)
    assert _kept(acme) == _real(acme) == {new.pk: 4}


def test_store_counts_command_finds_and_repairs_drift(acme, make_group, make_stores, allocate):
    group = make_group(acme, "WeChat")
    allocate(acme, group, [s.code for s in make_stores(acme, 3)])
    call_command("store_counts")  # nothing to say: the counts are right
    Store.objects.filter(org=acme).update(access_group=None)  # a raw write that skips the services
    with pytest.raises(CommandError, match="2 store count"):
        call_command("store_counts", org=["acme"])
    call_command("store_counts", repair=True)
    assert _kept(acme) == {None: 3}
    call_command("store_counts")


def test_django_admin_changes_keep_the_counts(acme, platform_staff, pages, make_group, make_stores):
    group = make_group(acme, "WeChat")
    first, second = make_stores(acme, 2)
    client = pages(platform_staff)
    r = client.post(f"/admin/stores/store/{first.pk}/change/", {
        "org": acme.pk, "code": first.code, "name": "Moved by staff", "city": "", "access_group": group.pk})
    assert r.status_code == 302 and _kept(acme) == _real(acme) == {group.pk: 1, None: 1}
    r = client.post("/admin/stores/store/add/", {"org": acme.pk, "code": "acme-new", "name": "New", "city": "",
                                                 "access_group": group.pk})
    assert r.status_code == 302 and _kept(acme) == _real(acme) == {group.pk: 2, None: 1}
    r = client.post("/admin/stores/store/", {"action": "delete_selected", "_selected_action": [first.pk, second.pk],
                                             "post": "yes"})
    assert r.status_code == 302 and _kept(acme) == _real(acme) == {group.pk: 1}


def test_a_count_never_goes_below_zero(acme, make_group, make_stores):
    from django.db import IntegrityError, transaction

    from groups import store_counts

    group = make_group(acme, "WeChat")
    make_stores(acme, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        store_counts.apply(org_id=acme.pk, deltas={group.pk: -1, None: 1})
    with pytest.raises(IntegrityError), transaction.atomic():
        store_counts.apply(org_id=acme.pk, deltas={None: -2})
    assert _kept(acme) == {None: 1}


# --- allocation in bulk ------------------------------------------------------------------------------------

def test_allocation_writes_one_event_per_store_with_where_it_came_from(acme, acme_admin, make_group, make_stores,
                                                                       allocate):
    a, b = make_group(acme, "A"), make_group(acme, "B")
    stores = make_stores(acme, 4)
    allocate(acme, a, [stores[0].code])
    n = services.stores_allocate(actor=acme_admin, org=acme, group=b, store_codes=[s.code for s in stores])
    assert n == 4
    events = AuditEvent.objects.filter(action="group.allocate", target_id=str(b.pk)).order_by("id")
    assert [(e.before, e.after) for e in events] == [
        ({"store": s.code, "group": "A" if i == 0 else None}, {"store": s.code, "group": "B"})
        for i, s in enumerate(stores)]
    assert {(e.actor_id, e.actor_repr, e.actor_kind, e.target_type, e.target_repr) for e in events} == {
        (acme_admin.pk, "acme-admin", "user", "groups.accessgroup", "B")}
    # The group's history shows them (the audit history of each store stays readable there).
    assert group_selectors.group_history(org=acme, group=b).filter(action="group.allocate").count() == 4
    services.stores_unallocate(actor=acme_admin, org=acme, group=b, store_codes=[stores[1].code])
    event = AuditEvent.objects.filter(action="group.unallocate").get()
    assert (event.before, event.after) == ({"store": stores[1].code, "group": "B"},
                                           {"store": stores[1].code, "group": None})


def test_allocation_query_count_does_not_grow_with_the_stores_or_their_groups(acme, make_group, make_stores,
                                                                               allocate, django_assert_num_queries):
    sources = [make_group(acme, f"S{i}") for i in range(5)]
    target = make_group(acme, "Target")
    stores = make_stores(acme, 60)
    for i, store in enumerate(stores):
        allocate(acme, sources[i % 5], [store.code])
    # savepoint, group lock, the stores' locks, UPDATE, counts (upsert + update), the old groups' names,
    # the events, savepoint release
    with django_assert_num_queries(9):
        services.stores_allocate(actor=None, org=acme, group=target, store_codes=[stores[0].code])
    with django_assert_num_queries(9):
        services.stores_allocate(actor=None, org=acme, group=target, store_codes=[s.code for s in stores[1:]])
    assert _kept(acme) == _real(acme) == {target.pk: 60}


# --- store search-as-you-type ------------------------------------------------------------------------------

def test_store_choices_show_only_the_users_stores(acme, globex, acme_admin, pages, make_stores, api):
    make_stores(acme, 3)
    make_stores(globex, 2)
    data = pages(acme_admin).get("/stores/-/choices/?format=json&q=s00").json()
    assert [r["value"] for r in data["results"]] == ["acme-s001", "acme-s002", "acme-s003"]
    assert data["results"][0]["detail"] == "Store 1 · default group"
    assert pages(acme_admin).get("/stores/-/choices/?format=json&q=globex").json()["results"] == []
    manager = make_user(acme, username="mgr")
    api(acme_admin).post("/api/v1/stores/acme-s002/managers/", {"user": "mgr"}, format="json")
    assert [r["value"] for r in pages(manager).get("/stores/-/choices/?format=json").json()["results"]] == [
        "acme-s002"]
    nobody = make_user(acme, username="nobody")
    assert pages(nobody).get("/stores/-/choices/?format=json").status_code == 403


def test_query_counts_of_store_choices_for_1_and_150_stores(acme, acme_admin, pages, make_stores, constant_queries):
    make_stores(acme, 1)
    r = constant_queries(pages(acme_admin), "/stores/-/choices/?q=acme", 5,
                         lambda: make_stores(acme, 150, prefix="acme-b"))
    assert r.content.decode().count('role="option"') == 21  # 20 stores and "type more to narrow"


# --- the store list's group filter and bulk target ---------------------------------------------------------

def _many_groups(org, n):
    return lambda: AccessGroup.objects.bulk_create([AccessGroup(org=org, name=f"Bulk {i:04d}") for i in range(n)])


def test_store_list_searches_groups_instead_of_listing_them(acme, acme_admin, pages, make_group, make_stores,
                                                            allocate, constant_queries):
    group = make_group(acme, "WeChat")
    allocate(acme, group, [make_stores(acme, 2)[0].code])
    client = pages(acme_admin)
    html = constant_queries(client, f"/stores/?group={group.pk}", 10, _many_groups(acme, 300)).content.decode()
    assert "Bulk 0" not in html and "<option" not in html
    assert html.count('role="combobox"') == 2  # the filter and the bulk target
    assert "acme-s001" in html and "acme-s002" not in html
    # The chosen group is the filter field's value and its chip.
    assert f'name="group" value="{group.pk}"' in html and 'name="group_search" value="WeChat"' in html
    none = client.get("/stores/?group=none").content.decode()
    assert "acme-s002" in none and "acme-s001" not in none and "No group (default: POS)" in none
    # Without JavaScript the typed name filters too.
    typed = client.get("/stores/?group=&group_search=wechat").content.decode()
    assert "acme-s001" in typed and "acme-s002" not in typed


def test_store_list_page_size_does_not_grow_with_the_groups(acme, acme_admin, pages, make_stores):
    make_stores(acme, 3)
    client = pages(acme_admin)
    before = len(client.get("/stores/").content)
    _many_groups(acme, 500)()
    assert len(client.get("/stores/").content) == before


def test_bulk_allocation_takes_the_searched_group(acme, acme_admin, pages, make_group, make_stores):
    group = make_group(acme, "WeChat")
    stores = make_stores(acme, 2)
    client = pages(acme_admin)
    ids = [str(s.pk) for s in stores]
    r = client.post("/stores/-/bulk/", {"action": "allocate", "ids": ids, "group": str(group.pk), "confirm": "1"})
    assert r.status_code == 302
    assert set(Store.objects.filter(access_group=group).values_list("code", flat=True)) == {s.code for s in stores}
    services.stores_unallocate(actor=None, org=acme, group=group, store_codes=[s.code for s in stores])
    client.post("/stores/-/bulk/", {"action": "allocate", "ids": ids, "group": "", "group_search": "WECHAT",
                                    "confirm": "1"})
    assert Store.objects.filter(access_group=group).count() == 2


def test_store_form_takes_a_searched_group_and_refuses_another_orgs(acme, globex, acme_admin, pages, make_group):
    mine, theirs = make_group(acme, "WeChat"), make_group(globex, "Theirs")
    client = pages(acme_admin)
    html = client.get("/stores/new/").content.decode()
    assert re.search(r'<label[^>]*for="id_access_group"', html) and 'hx-get="/groups/-/choices/?active=1"' in html
    r = client.post("/stores/new/", {"code": "acme-n1", "name": "N", "access_group": str(theirs.pk)})
    assert r.status_code == 200 and not Store.objects.filter(code="acme-n1").exists()
    client.post("/stores/new/", {"code": "acme-n1", "name": "N", "access_group_search": "wechat"})
    assert Store.objects.get(code="acme-n1").access_group == mine


# --- the generator ---------------------------------------------------------------------------------------------

def test_generate_scale_data_builds_an_org_with_right_counts(db, builtin):
    call_command("generate_scale_data", org="gen", groups=20, stores=300, tills=30, stdout=open("/dev/null", "w"))
    from accessadmin.models import Org

    org = Org.objects.get(code="gen")
    assert AccessGroup.objects.filter(org=org).count() == 20
    assert Store.objects.filter(org=org).count() == 300 and org.tills.count() == 30
    assert 0 < Store.objects.filter(org=org, access_group__isnull=True).count() < 300
    assert _kept(org) == _real(org) and services.store_counts_check(org=org) == {}
    with pytest.raises(CommandError, match="exists"):
        call_command("generate_scale_data", org="gen", groups=1, stores=1, tills=0)


def test_till_form_searches_stores_instead_of_listing_them(acme, globex, acme_admin, pages, make_stores):
    make_stores(acme, 30)
    make_stores(globex, 1)
    client = pages(acme_admin)
    html = client.get("/stores/-/tills/new/?store=acme-s002").content.decode()
    assert "<option" not in html and 'hx-get="/stores/-/choices/"' in html
    assert 'name="store" value="acme-s002"' in html and 'value="acme-s002 · Store 2"' in html
    r = client.post("/stores/-/tills/new/", {"store": "", "store_search": "ACME-S003", "code": "acme-t-typed"})
    assert r.status_code == 200 and acme.tills.get(code="acme-t-typed").store.code == "acme-s003"
    r = client.post("/stores/-/tills/new/", {"store": "globex-s001", "code": "acme-t-theirs"})
    assert "Select a valid choice" in r.content.decode() and not acme.tills.filter(code="acme-t-theirs").exists()
