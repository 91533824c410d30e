import pytest

from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user
from groups.models import AccessGroup, PermissionCell

pytestmark = pytest.mark.django_db

CELLS = [{"resource": "customer", "api": "data", "read": True, "write": True},
         {"resource": "store", "api": "config", "read": True, "write": False}]


def test_catalogue_lists_resources_with_both_parts(acme_admin, api):
    r = api(acme_admin).get("/api/v1/resources/")
    assert r.status_code == 200
    keys = [x["key"] for x in r.json()["results"]]
    for key in ("customer", "transaction", "points", "coupon", "store", "till", "organization", "behavioral_event"):
        assert key in keys
    customer = r.json()["results"][keys.index("customer")]
    assert customer["data_paths"] and customer["config_paths"]


def test_builtin_groups_are_visible_with_their_cells(acme_admin, api):
    r = api(acme_admin).get("/api/v1/access-groups/?kind=builtin&ordering=name")
    groups = {g["name"]: g for g in r.json()["results"]}
    assert set(groups) == {"Admin", "Instore", "POS"}
    pos = groups["POS"]
    assert pos["kind"] == "builtin" and pos["created_by"] == "platform" and pos["is_default"] is True
    assert {(c["resource"], c["api"], c["read"], c["write"]) for c in pos["permissions"]} == {
        ("customer", "data", True, True), ("transaction", "data", True, True),
        ("points", "data", True, True), ("coupon", "data", True, True)}
    assert groups["Instore"]["permissions"] == [
        {"resource": "customer", "api": "data", "read": False, "write": True}]
    resources = api(acme_admin).get("/api/v1/resources/").json()["results"]
    assert len(groups["Admin"]["permissions"]) == 2 * len(resources)
    assert all(c["read"] and c["write"] for c in groups["Admin"]["permissions"])


def test_create_get_and_list_a_custom_group(acme, acme_admin, api):
    client = api(acme_admin)
    r = client.post("/api/v1/access-groups/", {"name": "WeChat", "description": "Mini program",
                                               "permissions": CELLS}, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["kind"] == "custom" and body["status"] == "active" and body["created_by"] == "acme-admin"
    assert body["store_count"] == 0 and body["is_default"] is False and body["warnings"] == []
    assert sorted((c["resource"], c["api"], c["read"], c["write"]) for c in body["permissions"]) == [
        ("customer", "data", True, True), ("store", "config", True, False)]
    assert client.get(f"/api/v1/access-groups/{body['id']}").json()["name"] == "WeChat"  # no trailing slash
    listing = client.get("/api/v1/access-groups/?search=mini").json()
    assert [g["name"] for g in listing["results"]] == ["WeChat"]
    assert client.get("/api/v1/access-groups/?kind=custom&status=inactive").json()["count"] == 0
    # every cell is audited on its own
    events = AuditEvent.objects.filter(action="group.permission", target_id=str(body["id"]))
    assert events.count() == 2


def test_write_without_read_is_allowed_with_a_warning(acme_admin, api):
    r = api(acme_admin).post("/api/v1/access-groups/", {"name": "Drop", "permissions": [
        {"resource": "transaction", "api": "data", "write": True}]}, format="json")
    assert r.status_code == 201
    assert r.json()["warnings"] and "transaction/data" in r.json()["warnings"][0]


@pytest.mark.parametrize("payload,status,code", [
    ({"name": "pos"}, 400, "duplicate_name"),  # built-in names count, ignoring case
    ({"name": "  "}, 400, "invalid"),
    ({"name": "X", "permissions": [{"resource": "nope", "api": "data", "read": True}]}, 400, "unknown_resource"),
    ({"name": "X", "permissions": [{"resource": ["customer"], "api": "data", "read": True}]}, 400,
     "unknown_resource"),
    ({"name": "X", "permissions": [{"resource": {"key": "customer"}, "api": "data"}]}, 400, "unknown_resource"),
    ({"name": "X", "permissions": [{"resource": "customer", "api": ["data"], "read": True}]}, 400,
     "invalid_permissions"),
    ({"name": 12}, 400, "invalid"),
    ({"name": "X", "colour": "red"}, 400, "unknown_field"),
    ({"name": "X", "permissions": [{"resource": "customer", "api": "both", "read": True}]}, 400, "invalid_permissions"),
    ({"name": "X", "permissions": [{"resource": "customer", "api": "data", "read": "yes"}]}, 400,
     "invalid_permissions"),
    ({"name": "X", "permissions": [{"resource": "customer", "api": "data", "read": True},
                                   {"resource": "customer", "api": "data", "write": True}]}, 400, "duplicate_cell"),
    ({"name": "X", "permissions": "all"}, 400, "invalid_permissions"),
    ({"description": "no name"}, 400, "name_required"),
])
def test_create_refusals_change_nothing(acme_admin, api, payload, status, code):
    before = (AccessGroup.objects.count(), PermissionCell.objects.count(), AuditEvent.objects.count())
    r = api(acme_admin).post("/api/v1/access-groups/", payload, format="json")
    assert r.status_code == status, r.json()
    assert r.json()["code"] == code and r.json()["message"]
    assert (AccessGroup.objects.count(), PermissionCell.objects.count(), AuditEvent.objects.count()) == before


def test_duplicate_custom_name_ignoring_case(acme, acme_admin, api, make_group):
    make_group(acme, "WeChat")
    r = api(acme_admin).post("/api/v1/access-groups/", {"name": "wechat"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "duplicate_name"


def test_same_name_in_another_org_is_fine(acme, globex, globex_admin, api, make_group):
    make_group(acme, "WeChat")
    assert api(globex_admin).post("/api/v1/access-groups/", {"name": "WeChat"}, format="json").status_code == 201


def test_patch_and_put_with_history_of_each_cell(acme, acme_admin, api, make_group):
    group = make_group(acme, "WeChat")
    client = api(acme_admin)
    r = client.patch(f"/api/v1/access-groups/{group.pk}/", {"description": "new words"}, format="json")
    assert r.status_code == 200 and r.json()["description"] == "new words"
    assert r.json()["permissions"] == [{"resource": "customer", "api": "data", "read": True, "write": False}]
    r = client.put(f"/api/v1/access-groups/{group.pk}/", {"name": "WeChat 2", "permissions": [
        {"resource": "customer", "api": "data", "read": True, "write": True},
        {"resource": "points", "api": "data", "read": True}]}, format="json")
    assert r.status_code == 200 and r.json()["name"] == "WeChat 2" and r.json()["updated_by"] == "acme-admin"
    r = client.put(f"/api/v1/access-groups/{group.pk}/", {"name": "only name"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid_request"
    history = client.get(f"/api/v1/access-groups/{group.pk}/history/").json()["results"]
    cells = [(e["before"], e["after"]) for e in history
             if e["action"] == "group.permission" and e["actor"] == "acme-admin"]
    assert ({"resource": "customer", "api": "data", "read": True, "write": False},
            {"resource": "customer", "api": "data", "read": True, "write": True}) in cells
    assert ({"resource": "points", "api": "data", "read": False, "write": False},
            {"resource": "points", "api": "data", "read": True, "write": False}) in cells
    assert any(e["action"] == "group.update" and e["after"]["name"] == "WeChat 2" for e in history)


def test_diff_previews_without_saving(acme, acme_admin, api, make_group):
    group = make_group(acme, "WeChat")
    r = api(acme_admin).post(f"/api/v1/access-groups/{group.pk}/diff/", {"permissions": [
        {"resource": "points", "api": "data", "write": True}]}, format="json")
    assert r.json()["added"] == ["points/data/write"]
    assert r.json()["removed"] == ["customer/data/read"]
    assert r.json()["warnings"]
    assert PermissionCell.objects.filter(group=group).count() == 1


@pytest.mark.parametrize("name", ["POS", "Instore", "Admin"])
def test_builtin_groups_are_read_only(acme_admin, api, builtin, name):
    group = builtin(name)
    client = api(acme_admin)
    for method, url, body in (("patch", f"/api/v1/access-groups/{group.pk}/", {"description": "x"}),
                              ("put", f"/api/v1/access-groups/{group.pk}/", {"name": "x", "permissions": []}),
                              ("post", f"/api/v1/access-groups/{group.pk}/deactivate/", {})):
        r = getattr(client, method)(url, body, format="json")
        assert r.status_code == 403 and r.json()["code"] == "builtin_group_readonly", (method, r.json())
    group.refresh_from_db()
    assert group.is_active and group.description != "x"


def test_deactivate_refused_while_stores_allocated_then_allowed(acme, acme_admin, api, make_group, make_stores):
    group = make_group(acme, "WeChat")
    make_stores(acme, 3)
    client = api(acme_admin)
    r = client.post(f"/api/v1/access-groups/{group.pk}/allocate/", {"stores": ["acme-s001", "acme-s002"]},
                    format="json")
    assert r.status_code == 200 and r.json()["allocated"] == 2 and r.json()["group"]["store_count"] == 2
    r = client.post(f"/api/v1/access-groups/{group.pk}/deactivate/")
    assert r.status_code == 409 and r.json()["code"] == "group_has_stores"
    assert "2 stores" in r.json()["message"] and r.json()["store_count"] == 2
    r = client.post(f"/api/v1/access-groups/{group.pk}/unallocate/", {"stores": ["acme-s001", "acme-s002"]},
                    format="json")
    assert r.json()["unallocated"] == 2
    r = client.post(f"/api/v1/access-groups/{group.pk}/deactivate/")
    assert r.status_code == 200 and r.json()["status"] == "inactive"
    r = client.post(f"/api/v1/access-groups/{group.pk}/allocate/", {"stores": ["acme-s003"]}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "group_inactive"
    assert not group.stores.exists()
    r = client.post(f"/api/v1/access-groups/{group.pk}/activate/")
    assert r.status_code == 200 and r.json()["status"] == "active"
    actions = [e["action"] for e in client.get(f"/api/v1/access-groups/{group.pk}/history/").json()["results"]]
    assert {"group.allocate", "group.unallocate", "group.deactivate", "group.activate"} <= set(actions)


def test_allocation_is_all_or_nothing(acme, globex, acme_admin, api, make_group, make_stores):
    group = make_group(acme, "WeChat")
    make_stores(acme, 2)
    make_stores(globex, 1)
    r = api(acme_admin).post(f"/api/v1/access-groups/{group.pk}/allocate/",
                             {"stores": ["acme-s001", "globex-s001"]}, format="json")
    assert r.status_code == 404 and r.json()["code"] == "store_not_found"
    assert r.json()["missing"] == ["globex-s001"]
    assert not group.stores.exists()
    r = api(acme_admin).post(f"/api/v1/access-groups/{group.pk}/allocate/", {"stores": []}, format="json")
    assert r.status_code == 400
    r = api(acme_admin).post(f"/api/v1/access-groups/{group.pk}/unallocate/", {"stores": ["acme-s001"]},
                             format="json")
    assert r.status_code == 409 and r.json()["code"] == "store_not_in_group"


def test_moving_a_store_between_groups_is_recorded(acme, acme_admin, api, make_group, make_stores):
    a, b = make_group(acme, "A"), make_group(acme, "B")
    make_stores(acme, 1)
    client = api(acme_admin)
    client.post(f"/api/v1/access-groups/{a.pk}/allocate/", {"stores": ["acme-s001"]}, format="json")
    client.post(f"/api/v1/access-groups/{b.pk}/allocate/", {"stores": ["acme-s001"]}, format="json")
    assert b.stores.get().code == "acme-s001"
    event = AuditEvent.objects.filter(action="group.allocate", target_id=str(b.pk)).get()
    assert event.before == {"store": "acme-s001", "group": "A"} and event.after == {"store": "acme-s001", "group": "B"}


def test_default_group_view_switch_and_refusals(acme, acme_admin, api, make_group, make_stores, builtin):
    make_stores(acme, 4)
    group = make_group(acme, "WeChat")
    client = api(acme_admin)
    r = client.get("/api/v1/default-access-group/")
    assert r.json()["access_group"]["name"] == "POS" and r.json()["inheriting_stores"] == 4
    r = client.put("/api/v1/default-access-group/", {"access_group": group.pk}, format="json")
    assert r.status_code == 200 and r.json()["access_group"]["name"] == "WeChat"
    assert r.json()["access_group"]["is_default"] is True
    r = client.post(f"/api/v1/access-groups/{group.pk}/deactivate/")
    assert r.status_code == 409 and r.json()["code"] == "group_is_default"
    inactive = make_group(acme, "Old")
    client.post(f"/api/v1/access-groups/{inactive.pk}/deactivate/")
    r = client.put("/api/v1/default-access-group/", {"access_group": inactive.pk}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "group_inactive"
    r = client.put("/api/v1/default-access-group/", {"access_group": 999999}, format="json")
    assert r.status_code == 404
    r = client.put("/api/v1/default-access-group/", {"access_group": builtin("Admin").pk}, format="json")
    assert r.json()["access_group"]["name"] == "Admin"
    event = AuditEvent.objects.filter(action="default_group.set").first()
    assert event.before["group"] == "WeChat" and event.after["group"] == "Admin"


def test_list_sorts_and_paginates(acme, acme_admin, api, make_group, make_stores):
    for name in ("Bravo", "Alpha", "Charlie"):
        make_group(acme, name)
    client = api(acme_admin)
    names = [g["name"] for g in client.get("/api/v1/access-groups/?kind=custom&ordering=-name").json()["results"]]
    assert names == ["Charlie", "Bravo", "Alpha"]
    page = client.get("/api/v1/access-groups/?page_size=2&ordering=name").json()
    assert page["count"] == 6 and len(page["results"]) == 2 and page["next"]
    r = client.get("/api/v1/access-groups/?status=bogus")
    assert r.status_code == 400 and r.json()["code"] == "invalid_filter"


def test_store_count_is_per_org_for_builtin_groups(allocate, acme, globex, acme_admin, api, make_stores, builtin):
    make_stores(acme, 2)
    make_stores(globex, 3)
    pos = builtin("POS")

    allocate(globex, pos, ["globex-s001", "globex-s002"])
    r = api(acme_admin).get(f"/api/v1/access-groups/{pos.pk}/")
    assert r.json()["store_count"] == 0
    assert api(acme_admin).get(f"/api/v1/access-groups/{pos.pk}/history/").json()["results"] == []


def test_users_without_the_privilege_are_refused(acme, api, make_group):
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    group = make_group(acme)
    assert api(csr).get("/api/v1/access-groups/").status_code == 403
    assert api(csr).post(f"/api/v1/access-groups/{group.pk}/deactivate/").status_code == 403
    assert api(None).get("/api/v1/access-groups/").status_code == 401


def test_other_org_groups_are_404_everywhere(acme, globex, globex_admin, api, pages, make_group, make_stores):
    group = make_group(acme, "WeChat")
    make_stores(globex, 1)
    client = api(globex_admin)
    assert_other_org_404(client, f"/api/v1/access-groups/{group.pk}/")
    assert_other_org_404(client, f"/api/v1/access-groups/{group.pk}/", "patch", {"name": "x"}, format="json")
    for action in ("deactivate", "activate", "allocate", "unallocate"):
        assert_other_org_404(client, f"/api/v1/access-groups/{group.pk}/{action}/", "post",
                             {"stores": ["globex-s001"]}, format="json")
    assert_other_org_404(client, f"/api/v1/access-groups/{group.pk}/history/")
    assert_other_org_404(client, "/api/v1/default-access-group/", "put", {"access_group": group.pk}, format="json")
    assert "WeChat" not in str(client.get("/api/v1/access-groups/?page_size=100").json())
    page = pages(globex_admin)
    for url in (f"/groups/{group.pk}/", f"/groups/{group.pk}/edit/"):
        assert_other_org_404(page, url)
    for url in (f"/groups/{group.pk}/deactivate/", f"/groups/{group.pk}/allocate/"):
        assert_other_org_404(page, url, "post", {"stores": ["globex-s001"]})
    group.refresh_from_db()
    assert group.is_active and not group.stores.exists()


def test_query_count_of_group_list_api_for_1_and_100_rows(acme, acme_admin, api, make_group, constant_queries):
    client = api(acme_admin)
    make_group(acme, "G0")

    def add():
        for i in range(1, 100):
            make_group(acme, f"G{i}", permissions=CELLS)
    r = constant_queries(client, "/api/v1/access-groups/?kind=custom&page_size=200", 8, add)
    assert r.json()["count"] == 100


def test_query_count_of_group_detail_api_for_1_and_100_stores(allocate, acme, acme_admin, api, make_group, make_stores,
                                                             constant_queries):

    client = api(acme_admin)
    group = make_group(acme, "G0")
    make_stores(acme, 100)
    allocate(acme, group, ["acme-s001"])

    def add():
        allocate(acme, group, [f"acme-s{i:03d}" for i in range(2, 101)])
    r = constant_queries(client, f"/api/v1/access-groups/{group.pk}/", 7, add)
    assert r.json()["store_count"] == 100


def test_deactivate_refused_while_active_api_clients_use_the_group(acme, acme_admin, api, make_group,
                                                                    make_api_client):
    group = make_group(acme, "Partner feed")
    first, _ = make_api_client(acme, group, name="Loyalty sync")
    second, _ = make_api_client(acme, group, name="Kiosk bridge")
    client = api(acme_admin)
    events = AuditEvent.objects.count()
    r = client.post(f"/api/v1/access-groups/{group.pk}/deactivate/")
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "group_used_by_api_clients"
    assert "Kiosk bridge" in body["message"] and "Loyalty sync" in body["message"]
    assert body["clients"] == [{"id": second.pk, "name": "Kiosk bridge", "client_id": second.client_id},
                               {"id": first.pk, "name": "Loyalty sync", "client_id": first.client_id}]
    assert AccessGroup.objects.get(pk=group.pk).is_active and AuditEvent.objects.count() == events
    # A revoked client holds nothing: once both are revoked, the group may go.
    assert client.post(f"/api/v1/api-clients/{first.pk}/revoke/").status_code == 200
    r = client.post(f"/api/v1/access-groups/{group.pk}/deactivate/")
    assert r.status_code == 409 and [c["name"] for c in r.json()["clients"]] == ["Kiosk bridge"]
    assert client.post(f"/api/v1/api-clients/{second.pk}/revoke/").status_code == 200
    r = client.post(f"/api/v1/access-groups/{group.pk}/deactivate/")
    assert r.status_code == 200 and r.json()["status"] == "inactive"
