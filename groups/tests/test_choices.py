"""Group search-as-you-type: the choices endpoint (the org's groups and the built-in ones, never another
org's), the default-group page that uses it (no list of every group), and their exact query counts."""

import re

import pytest

from groups import selectors
from groups import services as group_services
from groups.models import AccessGroup

pytestmark = pytest.mark.django_db


def _many_groups(org, n, prefix="Bulk"):
    def add():
        AccessGroup.objects.bulk_create([AccessGroup(org=org, name=f"{prefix} {i:04d}") for i in range(n)])
    return add


def test_choices_list_the_orgs_and_builtin_groups_only(acme, globex, acme_admin, pages, make_group):
    make_group(acme, "WeChat")
    make_group(globex, "Globex only")
    data = pages(acme_admin).get("/groups/-/choices/?format=json").json()
    labels = [r["label"] for r in data["results"]]
    assert labels == ["Admin", "Instore", "POS", "WeChat"] and data["more"] is False
    assert [r["detail"] for r in data["results"]] == ["built-in", "built-in", "built-in", ""]
    # Another org's group is never among the matches, whatever is typed.
    assert pages(acme_admin).get("/groups/-/choices/?format=json&q=Globex").json()["results"] == []


def test_choices_search_by_part_of_the_name_and_leave_out_inactive_groups_when_asked(acme, acme_admin, pages,
                                                                                     make_group):
    make_group(acme, "Web shop")
    old = make_group(acme, "Web archive")
    group_services.group_deactivate(actor=None, org=acme, group=old)
    client = pages(acme_admin)
    assert [r["label"] for r in client.get("/groups/-/choices/?format=json&q=WEB").json()["results"]] == [
        "Web archive", "Web shop"]
    assert [r["detail"] for r in client.get("/groups/-/choices/?format=json&q=web").json()["results"]] == [
        "inactive", ""]
    assert [r["label"] for r in client.get("/groups/-/choices/?format=json&q=web&active=1").json()["results"]] == [
        "Web shop"]


def test_choices_stop_at_twenty_and_say_there_are_more(acme, acme_admin, pages):
    _many_groups(acme, 30)()
    data = pages(acme_admin).get("/groups/-/choices/?format=json&q=bulk").json()
    assert len(data["results"]) == 20 and data["more"] is True
    assert data["results"][0]["label"] == "Bulk 0000"


def test_choices_html_are_listbox_options_with_the_fixed_ones_first(acme, acme_admin, pages):
    html = pages(acme_admin).get("/groups/-/choices/?list=id_group_options&param=group_search&group_search=pos"
                                 "&extra=none|No%20group%20(default:%20POS)&extra=x|Unrelated").content.decode()
    options = re.findall(r'<li role="option" id="([^"]+)" data-value="([^"]*)" data-label="([^"]*)"', html)
    assert options == [("id_group_options-x1", "none", "No group (default: POS)"),
                       ("id_group_options-1", str(AccessGroup.objects.get(name="POS").pk), "POS")]
    nothing = pages(acme_admin).get("/groups/-/choices/?q=zzz").content.decode()
    assert 'aria-disabled="true"' in nothing and "Nothing matches" in nothing


def test_choices_need_a_login(client, acme):
    assert client.get("/groups/-/choices/").status_code == 302


def test_group_search_is_two_queries_whatever_the_number_of_groups(acme, django_assert_num_queries):
    with django_assert_num_queries(2):
        selectors.group_search(org=acme, text="bulk")
    _many_groups(acme, 200)()
    with django_assert_num_queries(2):
        assert len(selectors.group_search(org=acme, text="bulk")) == 21


def test_query_counts_of_group_choices_for_1_and_200_groups(acme, acme_admin, pages, make_group, constant_queries):
    make_group(acme, "Bulk one")
    constant_queries(pages(acme_admin), "/groups/-/choices/?q=bulk", 6, _many_groups(acme, 200))


# --- the default-group page ----------------------------------------------------------------------------------

def test_default_group_page_lists_no_groups_and_keeps_its_query_count(acme, acme_admin, pages, make_group,
                                                                    constant_queries):
    make_group(acme, "WeChat")
    response = constant_queries(pages(acme_admin), "/groups/default/", 13, _many_groups(acme, 300))
    html = response.content.decode()
    assert "<option" not in html and "Bulk 0299" not in html
    assert 'role="combobox"' in html and 'hx-get="/groups/-/choices/?active=1"' in html
    assert re.search(r'<label[^>]*for="id_access_group"', html)
    # The current default is the field's value and label.
    pos = AccessGroup.objects.get(name="POS")
    assert f'name="access_group" value="{pos.pk}"' in html and 'name="access_group_search" value="POS"' in html


def test_default_group_switches_by_id_or_by_the_name_typed_without_javascript(acme, acme_admin, pages, make_group):
    wechat = make_group(acme, "WeChat")
    client = pages(acme_admin)
    preview = client.post("/groups/default/", {"access_group": "", "access_group_search": "wechat"})
    assert "Switching the default from" in preview.content.decode()
    client.post("/groups/default/", {"access_group": str(wechat.pk), "action": "confirm"})
    assert selectors.default_group(org=acme) == wechat


def test_default_group_refuses_another_orgs_group_and_unknown_names(acme, globex, acme_admin, pages, make_group):
    theirs = make_group(globex, "Theirs")
    client = pages(acme_admin)
    r = client.post("/groups/default/", {"access_group": str(theirs.pk), "action": "confirm"})
    assert r.status_code == 200 and "Select a valid choice" in r.content.decode()
    r = client.post("/groups/default/", {"access_group": "", "access_group_search": "Theirs", "action": "confirm"})
    assert "Nothing is named" in r.content.decode()
    assert selectors.default_group(org=acme).name == "POS"
