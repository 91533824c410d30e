"""Rollout plans through the front door: usage made by real till requests (report-only), then the plan over the
API and the pages, apply, enforcement with zero denials, undo, staleness, isolation and refusals."""

import itertools

import pytest
from django.core.management import call_command

from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import assert_other_org_404, make_user
from groups.builtins import INSTORE, POS

_mobiles = itertools.count(4790000000)

# Three usage shapes over 40 stores: A (1–10) registers customers only → Instore; B (11–22) reads and writes
# customers and reads points → POS covers it; C (23–35) also reads the store list (Config API) → no built-in
# covers it: one custom group. Stores 36–40 make no requests and keep the default.
SHAPE_A, SHAPE_B, SHAPE_C = range(1, 11), range(11, 23), range(23, 36)
CUSTOM_NAME = "Customer RW + Store config R"


def _requests(client, shape):
    """Makes the shape's requests; returns their statuses."""
    statuses = [client.post("/v2/customers", {"mobile": str(next(_mobiles))}, format="json").status_code]
    if shape in ("B", "C"):
        statuses.append(client.get("/v2/customers").status_code)
    if shape == "B":
        statuses.append(client.get("/v2/points/1").status_code)
    if shape == "C":
        statuses.append(client.get("/v2/stores").status_code)
    return statuses


def _shape(n: int) -> str | None:
    return "A" if n in SHAPE_A else "B" if n in SHAPE_B else "C" if n in SHAPE_C else None


@pytest.fixture
def org_with_usage(acme, acme_admin, api, make_stores, make_till, make_group, allocate, till_client):
    """acme in report-only mode with 40 stores (1–3 allocated to a wide custom group "Legacy"), a till each, and
    the three shapes' usage made through the till API. Returns (stores, legacy group, till clients by store)."""
    api(acme_admin).patch("/api/v1/org/", {"enforcement_mode": "report_only"}, format="json")
    stores = make_stores(acme, 40)
    legacy = make_group(acme, "Legacy", grants={("customer", "data", "read"), ("customer", "data", "write"),
                                                ("points", "data", "read"), ("store", "config", "read")})
    allocate(acme, legacy, [s.code for s in stores[:3]])
    clients = {}
    for n, store in enumerate(stores, start=1):
        make_till(acme, store, code=f"{store.code}-t1")
        clients[store.code] = till_client(f"{store.code}-t1")
        if _shape(n):
            assert all(status < 500 for status in _requests(clients[store.code], _shape(n)))
    return stores, legacy, clients


def _allocation(client) -> dict:
    rows = client.get("/api/v1/stores/?page_size=100").json()["results"]
    return {r["code"]: (r["access_group"] or {}).get("name") for r in rows}


def test_plan_apply_enforce_undo(org_with_usage, api, acme, acme_admin, builtin):
    stores, legacy, clients = org_with_usage
    client = api(acme_admin)
    before = _allocation(client)
    default_before = client.get("/api/v1/default-access-group/").json()

    response = client.post("/api/v1/rollout/plans/", {"days": 30}, format="json")
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["status"] == "draft" and plan["stale"] is False
    assert plan["store_total"] == 40 and plan["stores_with_usage"] == 35 and plan["stores_without_usage"] == 5
    assert plan["would_deny"] == {"count": 0, "requests": []}
    groups = {g["name"]: g for g in plan["groups"]}
    assert set(groups) == {INSTORE, POS, CUSTOM_NAME}
    assert groups[INSTORE]["kind"] == "builtin" and groups[INSTORE]["store_count"] == 10
    assert groups[POS]["kind"] == "builtin" and groups[POS]["store_count"] == 12
    custom = groups[CUSTOM_NAME]
    assert custom["kind"] == "custom" and custom["store_count"] == 13 and custom["group"] is None
    assert custom["permissions"] == [
        {"resource": "customer", "api": "data", "read": True, "write": True},
        {"resource": "store", "api": "config", "read": True, "write": False}]
    # The diff from today: stores 1–3 leave Legacy, the others leave the default (POS).
    moves = {(m["from"], m["count"]) for m in groups[INSTORE]["moves"]}
    assert moves == {("Legacy", 3), ("POS (default)", 7)}
    assert plan["diff"] == {"changing": 35, "unchanged": 0}
    listed = client.get(f"/api/v1/rollout/plans/{plan['id']}/assignments/?group={custom['key']}&page_size=50").json()
    assert listed["count"] == 13 and {r["code"] for r in listed["results"]} == {
        stores[n - 1].code for n in SHAPE_C}

    renamed = client.patch(f"/api/v1/rollout/plans/{plan['id']}/groups/{custom['key']}/", {"name": "Till config"},
                           format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Till config"
    builtin_rename = client.patch(f"/api/v1/rollout/plans/{plan['id']}/groups/{groups[POS]['key']}/",
                                  {"name": "Mine"}, format="json")
    assert builtin_rename.status_code == 409 and builtin_rename.json()["code"] == "proposal_exists"
    clash = client.patch(f"/api/v1/rollout/plans/{plan['id']}/groups/{custom['key']}/", {"name": "legacy"},
                         format="json")
    assert clash.status_code == 409 and clash.json()["code"] == "proposed_name_taken"

    applied = client.post(f"/api/v1/rollout/plans/{plan['id']}/apply/")
    assert applied.status_code == 200, applied.content
    applied = applied.json()
    assert applied["status"] == "applied" and applied["applied_by"] == "acme-admin"
    created = next(g for g in applied["groups"] if g["name"] == "Till config")["group"]
    after = _allocation(client)
    for n, store in enumerate(stores, start=1):
        expected = {"A": INSTORE, "B": POS, "C": "Till config", None: before[store.code]}[_shape(n)]
        assert after[store.code] == expected, store.code
    assert AuditEvent.objects.filter(org=acme, action="rollout.apply").count() == 1
    assert client.post(f"/api/v1/rollout/plans/{plan['id']}/apply/").json()["code"] == "plan_not_draft"

    # Enforce: the same requests again are all allowed, and a new plan finds nothing it would deny.
    client.patch("/api/v1/org/", {"enforcement_mode": "enforce"}, format="json")
    for n, store in enumerate(stores, start=1):
        if _shape(n):
            assert all(status not in (401, 403) for status in _requests(clients[store.code], _shape(n))), store.code
    assert clients[stores[0].code].get("/v2/stores").status_code == 403  # Instore: no more than it used
    denied = client.get("/api/v1/usage/?outcome=denied&days=1").json()["results"]
    assert [(r["caller"], r["resource"], r["count"]) for r in denied] == [(f"{stores[0].code}-t1", "store", 1)]
    # A new plan counts served requests only: the refused probe does not widen store 1's group.
    again = client.post("/api/v1/rollout/plans/", {"days": 1}, format="json").json()
    assert again["would_deny"]["count"] == 0
    assert {g["name"]: g["store_count"] for g in again["groups"]} == {INSTORE: 10, POS: 12, "Till config": 13}
    assert {g["name"]: g["kind"] for g in again["groups"]} == {INSTORE: "builtin", POS: "builtin",
                                                                "Till config": "existing"}
    assert again["diff"] == {"changing": 0, "unchanged": 35}

    # Legacy lost its stores; deactivating it is allowed, and undo brings it back with them.
    assert client.post(f"/api/v1/access-groups/{legacy.pk}/deactivate/").status_code == 200
    undone = client.post(f"/api/v1/rollout/plans/{plan['id']}/undo/")
    assert undone.status_code == 200, undone.content
    assert undone.json()["status"] == "undone"
    assert _allocation(client) == before
    assert client.get("/api/v1/default-access-group/").json() == default_before
    assert client.get(f"/api/v1/access-groups/{created['id']}/").json()["status"] == "inactive"
    assert client.get(f"/api/v1/access-groups/{legacy.pk}/").json()["status"] == "active"
    assert client.post(f"/api/v1/rollout/plans/{plan['id']}/undo/").json()["code"] == "plan_not_applied"


def test_a_plan_older_than_the_newest_allocation_change_is_stale(org_with_usage, api, acme_admin, builtin):
    stores, _legacy, _clients = org_with_usage
    client = api(acme_admin)
    plan = client.post("/api/v1/rollout/plans/", {"days": 30}, format="json").json()
    groups_before = client.get("/api/v1/access-groups/?page_size=100").json()["count"]
    client.post(f"/api/v1/access-groups/{builtin(POS).pk}/allocate/", {"stores": [stores[39].code]}, format="json")
    assert client.get(f"/api/v1/rollout/plans/{plan['id']}/").json()["stale"] is True
    refused = client.post(f"/api/v1/rollout/plans/{plan['id']}/apply/")
    assert refused.status_code == 409 and refused.json()["code"] == "plan_stale"
    assert client.get("/api/v1/access-groups/?page_size=100").json()["count"] == groups_before
    # Undo is refused as well once the allocation changed after apply.
    fresh = client.post("/api/v1/rollout/plans/", {"days": 30}, format="json").json()
    assert client.post(f"/api/v1/rollout/plans/{fresh['id']}/apply/").status_code == 200
    client.post(f"/api/v1/access-groups/{builtin(POS).pk}/unallocate/", {"stores": [stores[39].code]},
                format="json")
    stale_undo = client.post(f"/api/v1/rollout/plans/{fresh['id']}/undo/")
    assert stale_undo.status_code == 409 and stale_undo.json()["code"] == "plan_stale"


def test_plans_are_the_orgs_own(org_with_usage, api, acme, acme_admin, globex_admin, constant_queries):
    client = api(acme_admin)
    plan = client.post("/api/v1/rollout/plans/", {"days": 30}, format="json").json()
    other = api(globex_admin)
    for method, suffix in (("get", ""), ("post", "apply/"), ("post", "undo/"), ("get", "assignments/")):
        assert_other_org_404(other, f"/api/v1/rollout/plans/{plan['id']}/{suffix}", method)
    assert_other_org_404(other, f"/api/v1/rollout/plans/{plan['id']}/groups/1/", "patch", {"name": "X"},
                         format="json")
    assert other.get("/api/v1/rollout/plans/").json()["count"] == 0
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    assert api(csr).post("/api/v1/rollout/plans/", {"days": 30}, format="json").status_code == 403
    assert api(csr).get(f"/api/v1/rollout/plans/{plan['id']}/").status_code == 403

    def more_plans():
        for _ in range(3):
            client.post("/api/v1/rollout/plans/", {"days": 7}, format="json")
    listed = constant_queries(client, "/api/v1/rollout/plans/", 5, more_plans)
    assert listed.json()["count"] == 4


@pytest.mark.parametrize("days", [0, 91, -1])
def test_days_out_of_range_change_nothing(days, api, acme, acme_admin):
    client = api(acme_admin)
    response = client.post("/api/v1/rollout/plans/", {"days": days}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_plan_days"
    assert client.post("/api/v1/rollout/plans/", {"days": "30"}, format="json").status_code == 400
    assert client.post("/api/v1/rollout/plans/", {}, format="json").status_code == 400
    assert client.get("/api/v1/rollout/plans/").json()["count"] == 0
    assert client.get("/api/v1/rollout/plans/99999/").status_code == 404
    assert client.patch("/api/v1/rollout/plans/99999/groups/1/", {"name": "x"}, format="json").status_code == 404


def test_pages_and_the_org_page_path(org_with_usage, pages, acme, acme_admin):
    page = pages(acme_admin)
    enforcement = page.get("/stores/-/enforcement/")
    assert b"Rollout: from report-only to enforcement" in enforcement.content
    assert b"Report-only mode is on" in enforcement.content
    assert b"35 of 40 stores" in enforcement.content  # usage step counts
    assert b"35 of 40 active tills used Basic auth" in enforcement.content  # 36–40 made no requests
    made = page.post("/rollout/", {"days": 30})
    assert made.status_code == 302
    detail = page.get(made["Location"])
    assert detail.status_code == 200 and CUSTOM_NAME.encode() in detail.content
    assert b"None: every request of the last 30 days would still be allowed." in detail.content
    plan_id = int(made["Location"].rstrip("/").rsplit("/", 1)[1])
    key = next(p["proposal"].key for p in detail.context["proposals"] if p["proposal"].is_new)
    assert page.post(made["Location"], {"key": key, "name": "Till config"}).status_code == 302
    assert page.get(f"/rollout/{plan_id}/stores/?group={key}").context["page"].paginator.count == 13
    assert page.post(f"/rollout/{plan_id}/apply/").status_code == 302
    applied = page.get(f"/rollout/{plan_id}/")
    assert b"Undo this plan" in applied.content and b"custom, created" in applied.content
    assert b"1 plan applied" in page.get("/stores/-/enforcement/").content
    assert page.post(f"/rollout/{plan_id}/undo/").status_code == 302
    assert b"Undone" in page.get(f"/rollout/{plan_id}/").content
    assert page.get("/rollout/").status_code == 200


def test_command_plans_and_applies_for_many_orgs(org_with_usage, acme, globex, capsys):
    call_command("rollout_plan", "--org", "acme", "--org", "globex", "--days", "30", "--apply")
    out = capsys.readouterr().out
    assert "acme: plan #" in out and "3 groups for 35 of 40 stores" in out and "applied" in out
    assert "globex: plan #" in out and "0 groups for 0 of 0 stores" in out
    event = AuditEvent.objects.filter(org=acme, action="rollout.apply").get()
    assert event.actor_repr == "command:rollout_plan"


def test_plan_pages_query_counts_do_not_grow(org_with_usage, pages, api, acme_admin, constant_queries,
                                             django_assert_num_queries):
    page = pages(acme_admin)
    client = api(acme_admin)
    plan = client.post("/api/v1/rollout/plans/", {"days": 30}, format="json").json()

    def more_plans():
        for _ in range(3):
            client.post("/api/v1/rollout/plans/", {"days": 7}, format="json")
    constant_queries(page, "/rollout/", 11, more_plans)
    # A group's 10 stores (one query more: the group), then all 35 of the plan: no query per row.
    instore = next(g["key"] for g in plan["groups"] if g["name"] == INSTORE)
    for url, queries in ((f"/rollout/{plan['id']}/stores/?group={instore}", 8), (f"/rollout/{plan['id']}/stores/", 7)):
        with django_assert_num_queries(queries):
            assert page.get(url).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(f"/api/v1/rollout/plans/{plan['id']}/assignments/?page_size=100").json()["count"] == 35


def test_api_clients_get_their_least_group_too(make_api_client, oauth_token, bearer_client, make_stores, api, acme,
                                               acme_admin, builtin):
    from groups.builtins import ADMIN

    make_stores(acme, 2)
    erp, secret = make_api_client(acme, builtin(ADMIN), name="ERP")
    idle, _ = make_api_client(acme, builtin(ADMIN), name="Idle")
    bearer = bearer_client(oauth_token(erp.client_id, secret))
    assert bearer.get("/v2/customers").status_code == 200
    assert bearer.get("/v2/org").status_code == 200
    client = api(acme_admin)
    plan = client.post("/api/v1/rollout/plans/", {"days": 1}, format="json").json()
    assert plan["clients_with_usage"] == 1 and plan["stores_with_usage"] == 0
    (group,) = plan["groups"]
    assert group["name"] == "Customer R + Organization config R" and group["client_count"] == 1
    assert group["moves"] == [{"kind": "client", "from": "Admin", "count": 1, "changes": True}]
    assert client.post(f"/api/v1/rollout/plans/{plan['id']}/apply/").status_code == 200
    clients = {c["name"]: c["access_group"]["name"] for c in client.get("/api/v1/api-clients/").json()["results"]}
    assert clients == {"ERP": "Customer R + Organization config R", "Idle": "Admin"}
    assert bearer.get("/v2/customers").status_code == 200 and bearer.get("/v2/stores").status_code == 403
    assert client.post(f"/api/v1/rollout/plans/{plan['id']}/undo/").status_code == 200
    clients = {c["name"]: c["access_group"]["name"] for c in client.get("/api/v1/api-clients/").json()["results"]}
    assert clients == {"ERP": "Admin", "Idle": "Admin"}
    assert bearer.get("/v2/stores").status_code == 200
    assert idle.access_group_id == builtin(ADMIN).pk
