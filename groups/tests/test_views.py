import pytest

from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from groups import selectors
from groups.models import AccessGroup, DefaultAccessGroup

pytestmark = pytest.mark.django_db


def test_list_page_shows_every_column_and_filters(allocate, acme, acme_admin, pages, make_group, make_stores):
    group = make_group(acme, "WeChat", description="Mini program")
    make_stores(acme, 2)

    allocate(acme, group, ["acme-s001", "acme-s002"], actor=acme_admin)
    client = pages(acme_admin)
    r = client.get("/groups/")
    html = r.content.decode()
    for text in ("WeChat", "Mini program", "POS", "Instore", "Admin", "platform", "Created on", "Last updated by"):
        assert text in html
    assert "<td>2</td>" in html
    html = client.get("/groups/?search=mini").content.decode()
    assert "WeChat" in html and "Instore" not in html
    html = client.get("/groups/?kind=builtin").content.decode()
    assert "WeChat" not in html and "Instore" in html
    html = client.get("/groups/?status=inactive").content.decode()
    assert "No entries match these filters." in html


def test_create_page_with_cells_in_both_tabs(acme, acme_admin, pages):
    client = pages(acme_admin)
    r = client.post("/groups/new/", {"name": "Kiosk", "description": "Self service", "action": "save",
                                     "cell:customer:data:read": "on", "cell:customer:data:write": "on",
                                     "cell:store:config:read": "on", "cell:points:data:write": "on"}, follow=True)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Access group Kiosk created." in html
    assert "points/data: write without read" in html
    group = AccessGroup.objects.get(org=acme, name="Kiosk")
    assert selectors.group_grants(group) == {("customer", "data", "read"), ("customer", "data", "write"),
                                             ("store", "config", "read"), ("points", "data", "write")}


def test_create_page_shows_errors_and_keeps_input(acme, acme_admin, pages):
    r = pages(acme_admin).post("/groups/new/", {"name": "POS", "cell:customer:data:read": "on"})
    html = r.content.decode()
    assert r.status_code == 200 and "This name is taken" in html
    assert 'name="cell:customer:data:read" aria-label="Customer data read" checked' in html
    assert AccessGroup.objects.filter(org=acme).count() == 0


def test_edit_previews_the_diff_then_saves(acme, acme_admin, pages, make_group):
    group = make_group(acme, "WeChat")
    client = pages(acme_admin)
    post = {"name": "WeChat", "description": "", "cell:points:data:read": "on"}
    r = client.post(f"/groups/{group.pk}/edit/", {**post, "action": "preview"})
    html = r.content.decode()
    assert "Preview changes to WeChat" in html
    assert "+ points/data/read" in html and "− customer/data/read" in html
    assert selectors.group_grants(group) == {("customer", "data", "read")}  # nothing saved yet
    r = client.post(f"/groups/{group.pk}/edit/", {**post, "action": "save"}, follow=True)
    assert "Access group WeChat saved." in r.content.decode()
    assert selectors.group_grants(group) == {("points", "data", "read")}


def test_back_to_editing_keeps_the_unsaved_changes(acme, acme_admin, pages, make_group):
    group = make_group(acme, "WeChat")
    client = pages(acme_admin)
    post = {"name": "WeChat mini", "description": "Changed", "cell:points:data:read": "on"}
    assert "Preview changes to WeChat" in client.post(f"/groups/{group.pk}/edit/",
                                                      {**post, "action": "preview"}).content.decode()
    html = client.post(f"/groups/{group.pk}/edit/", {**post, "action": "edit"}).content.decode()
    assert "Preview changes to" not in html and "Edit WeChat" in html
    assert 'value="WeChat mini"' in html and "Changed</textarea>" in html
    assert _checked(html, "cell:points:data:read")
    assert not _checked(html, "cell:customer:data:read")
    assert selectors.group_grants(group) == {("customer", "data", "read")}  # still nothing saved


def _checked(html: str, name: str) -> bool:
    """Is the checkbox named `name` checked in `html`?"""
    start = html.index(f'name="{name}"')
    return " checked" in html[html.rindex("<input", 0, start):html.index(">", start)]


def test_builtin_group_has_no_edit_page(acme_admin, pages, builtin):
    r = pages(acme_admin).get(f"/groups/{builtin('POS').pk}/edit/", follow=True)
    assert "built-in group and cannot be changed" in r.content.decode()


def test_allocate_deactivate_unallocate_through_the_page(acme, acme_admin, pages, make_group, make_stores):
    group = make_group(acme, "WeChat")
    make_stores(acme, 3)
    client = pages(acme_admin)
    html = client.get(f"/groups/{group.pk}/?q=s00").content.decode()
    assert "acme-s001" in html and "Allocate selected" in html
    r = client.post(f"/groups/{group.pk}/allocate/", {"stores": ["acme-s001", "acme-s002"], "confirm": "1"},
                    follow=True)
    assert "2 stores allocated to WeChat." in r.content.decode()
    html = client.get(f"/groups/{group.pk}/deactivate/").content.decode()
    assert "2 stores</strong> are allocated to WeChat" in html and "Move 2 stores and deactivate" in html
    r = client.post(f"/groups/{group.pk}/deactivate/", follow=True)  # a group with stores needs a target
    assert "This field is required." in r.content.decode()
    assert AccessGroup.objects.get(pk=group.pk).is_active
    r = client.post(f"/groups/{group.pk}/unallocate/", {"stores": ["acme-s001", "acme-s002"]}, follow=True)
    assert "2 stores unallocated from WeChat." in r.content.decode()
    r = client.post(f"/groups/{group.pk}/deactivate/", follow=True)
    html = r.content.decode()
    assert "WeChat is now inactive." in html and "History" in html and "Store allocated" in html
    r = client.post(f"/groups/{group.pk}/allocate/", {"stores": ["acme-s003"], "confirm": "1"}, follow=True)
    assert "inactive; activate it first" in r.content.decode()
    r = client.post(f"/groups/{group.pk}/allocate/", {}, follow=True)
    assert "Select at least one store." in r.content.decode()
    assert not group.stores.exists()


def test_default_group_page_previews_inheriting_count_then_switches(acme, acme_admin, pages, make_group,
                                                                    make_stores):
    group = make_group(acme, "WeChat")
    make_stores(acme, 3)
    client = pages(acme_admin)
    assert "It is now" in client.get("/groups/default/").content.decode()
    r = client.post("/groups/default/", {"access_group": group.pk, "action": "preview"})
    html = r.content.decode()
    assert "3 stores" in html and "Switch the default to WeChat" in html
    assert not DefaultAccessGroup.objects.filter(org=acme).exists()
    r = client.post("/groups/default/", {"access_group": group.pk, "action": "confirm"}, follow=True)
    assert "WeChat is now the default group." in r.content.decode()
    assert selectors.default_group(org=acme) == group
    assert AuditEvent.objects.filter(action="default_group.set", org=acme).count() == 1


def test_group_pages_need_the_privilege(acme, pages, make_group):
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    group = make_group(acme)
    client = pages(csr)
    for url in ("/groups/", "/groups/new/", f"/groups/{group.pk}/", "/groups/default/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/groups/{group.pk}/deactivate/").status_code == 403


def test_access_control_privilege_is_enough(ac_user, pages):
    assert pages(ac_user).get("/groups/").status_code == 200


def test_query_counts_of_group_pages(allocate, acme, acme_admin, pages, make_group, make_stores,
                                     constant_queries):

    client = pages(acme_admin)
    group = make_group(acme, "G000")
    make_stores(acme, 101)
    allocate(acme, group, ["acme-s001"])
    r = constant_queries(client, "/groups/?kind=custom", 9,
                         lambda: [make_group(acme, f"G{i:03d}") for i in range(1, 100)])
    assert "Page 1 of 4" in r.content.decode()
    # 14 whether or not the history shows permission changes: their readable rows name the resources the page
    # has already read (groups.audit.resources_read), so the page's 99 allocations pushing them out of the
    # history's window changes nothing.
    assert "diff-label\">Customer · Data · Read:" in client.get(f"/groups/{group.pk}/").content.decode()
    r = constant_queries(client, f"/groups/{group.pk}/", 14,
                         lambda: allocate(acme, group, [f"acme-s{i:03d}" for i in range(2, 101)]))
    assert "acme-s100" in r.content.decode()


def test_group_page_shows_why_a_group_used_by_api_clients_stays_active(acme, acme_admin, pages, make_group,
                                                                        make_api_client):
    group = make_group(acme, "Partner feed")
    make_api_client(acme, group, name="Loyalty sync")
    client = pages(acme_admin)
    message = "Partner feed is used by the API client Loyalty sync; give it another group or revoke it first."
    html = client.get(f"/groups/{group.pk}/deactivate/").content.decode()
    assert message in html and "Deactivate Partner feed</button>" not in html  # nothing to confirm
    r = client.post(f"/groups/{group.pk}/deactivate/", follow=True)
    assert message in r.content.decode()
    assert AccessGroup.objects.get(pk=group.pk).is_active
