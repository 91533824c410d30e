"""Deactivating a group with stores: "move N stores to … and deactivate" in one confirmed, audited step,
on the page and in the API (move_to)."""

import pytest

from accessadmin.errors import AppError
from accessadmin.models import AuditEvent
from groups import services
from groups.models import AccessGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def wechat_with_stores(acme, make_group, make_stores, allocate):
    group = make_group(acme, "WeChat")
    make_stores(acme, 3)
    allocate(acme, group, ["acme-s001", "acme-s002", "acme-s003"])
    return group


def _codes(group):
    return sorted(group.stores.values_list("code", flat=True))


def test_service_moves_the_stores_and_deactivates_in_one_step(acme, acme_admin, wechat_with_stores, make_group):
    kiosk = make_group(acme, "Kiosk")
    group = services.group_deactivate(actor=acme_admin, org=acme, group=wechat_with_stores, move_to=kiosk.pk)
    assert not group.is_active and not AccessGroup.objects.get(pk=group.pk).is_active
    assert _codes(kiosk) == ["acme-s001", "acme-s002", "acme-s003"]
    moves = AuditEvent.objects.filter(action="group.allocate", target_id=str(kiosk.pk)).order_by("pk")
    assert [(e.before, e.after) for e in moves] == [
        ({"store": f"acme-s00{i}", "group": "WeChat"}, {"store": f"acme-s00{i}", "group": "Kiosk"}) for i in (1, 2, 3)]
    assert all(e.actor_id == acme_admin.pk for e in moves)
    assert AuditEvent.objects.filter(action="group.deactivate", target_id=str(group.pk)).count() == 1


@pytest.mark.parametrize("why", ["inactive", "default", "api_client", "same", "other_org", "missing"])
def test_a_refusal_moves_nothing(why, acme, globex, acme_admin, wechat_with_stores, make_group, make_api_client):
    kiosk = make_group(acme, "Kiosk")
    move_to, code = kiosk.pk, None
    if why == "inactive":
        services.group_deactivate(actor=acme_admin, org=acme, group=kiosk)
        code = "group_inactive"
    elif why == "default":
        services.default_group_set(actor=acme_admin, org=acme, group=wechat_with_stores)
        code = "group_is_default"
    elif why == "api_client":
        make_api_client(acme, wechat_with_stores, name="ERP")
        code = "group_used_by_api_clients"
    elif why == "same":
        move_to, code = wechat_with_stores.pk, "invalid_move_to"
    elif why == "other_org":
        move_to, code = make_group(globex, "Theirs").pk, "invalid_move_to"
    else:
        move_to, code = 10**9, "invalid_move_to"
    with pytest.raises(AppError) as caught:
        services.group_deactivate(actor=acme_admin, org=acme, group=wechat_with_stores, move_to=move_to)
    assert caught.value.code == code
    assert AccessGroup.objects.get(pk=wechat_with_stores.pk).is_active
    assert _codes(wechat_with_stores) == ["acme-s001", "acme-s002", "acme-s003"]


def test_a_builtin_group_may_receive_the_stores(acme, acme_admin, wechat_with_stores, builtin):
    services.group_deactivate(actor=acme_admin, org=acme, group=wechat_with_stores, move_to=builtin("Instore"))
    assert acme.stores.filter(access_group=builtin("Instore")).count() == 3


def test_api_deactivate_with_move_to(acme, acme_admin, wechat_with_stores, make_group, api):
    kiosk = make_group(acme, "Kiosk")
    client = api(acme_admin)
    url = f"/api/v1/access-groups/{wechat_with_stores.pk}/deactivate/"
    r = client.post(url, {}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "group_has_stores" and r.json()["store_count"] == 3
    for bad in ("x", True, 0, [kiosk.pk]):
        r = client.post(url, {"move_to": bad}, format="json")
        assert r.status_code == 400, bad
    r = client.post(url, {"move_to": wechat_with_stores.pk}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid_move_to"
    r = client.post(url, {"move_to": kiosk.pk}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "inactive" and r.json()["store_count"] == 0
    assert _codes(kiosk) == ["acme-s001", "acme-s002", "acme-s003"]


def test_page_asks_first_then_moves_and_deactivates(acme, acme_admin, wechat_with_stores, make_group, pages):
    kiosk = make_group(acme, "Kiosk")
    client = pages(acme_admin)
    detail = client.get(f"/groups/{wechat_with_stores.pk}/").content.decode()
    assert f'href="/groups/{wechat_with_stores.pk}/deactivate/"' in detail  # a link to the question, not a POST
    html = client.get(f"/groups/{wechat_with_stores.pk}/deactivate/").content.decode()
    assert "Deactivate WeChat?" in html and "3 stores</strong> are allocated to WeChat" in html
    # The target is searched as the user types (an org may have 10,000 groups), never listed.
    assert "Move 3 stores and deactivate" in html and 'hx-get="/groups/-/choices/?active=1"' in html
    assert "<option" not in html
    to_itself = client.post(f"/groups/{wechat_with_stores.pk}/deactivate/", {"move_to": wechat_with_stores.pk})
    assert "Select a valid choice" in to_itself.content.decode()  # not to itself
    r = client.post(f"/groups/{wechat_with_stores.pk}/deactivate/", {"move_to": kiosk.pk}, follow=True)
    assert "WeChat is now inactive. 3 stores moved to Kiosk." in r.content.decode()
    assert _codes(kiosk) == ["acme-s001", "acme-s002", "acme-s003"]


def test_page_for_a_group_without_stores_confirms_plainly(acme, acme_admin, make_group, pages):
    group = make_group(acme, "Empty")
    client = pages(acme_admin)
    html = client.get(f"/groups/{group.pk}/deactivate/").content.decode()
    assert "No stores are allocated to Empty" in html and "Deactivate Empty</button>" in html
    assert 'name="move_to"' not in html
    r = client.post(f"/groups/{group.pk}/deactivate/", follow=True)
    assert "Empty is now inactive." in r.content.decode()


def test_page_refuses_the_default_group_with_a_way_out(acme, acme_admin, make_group, pages):
    group = make_group(acme, "Chosen")
    services.default_group_set(actor=acme_admin, org=acme, group=group)
    html = pages(acme_admin).get(f"/groups/{group.pk}/deactivate/").content.decode()
    assert "Chosen is the default group" in html and "Choose another default group" in html
    assert "</button>" not in html.split("<main")[1].split("</main>")[0] or "Deactivate Chosen</button>" not in html
