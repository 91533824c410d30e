"""The registries the apps fill in ready(): what the core offers them, and the core's own entries."""

import pytest
from django.test import RequestFactory

from accessadmin import registry
from accessadmin.testing import make_user


@pytest.fixture
def scratch():
    """Lets a test register entries of its own; everything registered is put back afterwards."""
    saved = registry.snapshot()
    yield registry
    registry.restore(saved)


def test_navigation_sections_and_links_come_by_order_whatever_the_registration_order(scratch):
    scratch.register_nav_section("Zeta", order=-2)
    scratch.register_nav_section("Alpha", order=-1)
    scratch.register_nav(scratch.NavLink("Alpha", "Second", "dashboard", lambda user: True, order=2),
                         scratch.NavLink("Zeta", "Only", "dashboard", lambda user: True),
                         scratch.NavLink("Alpha", "First", "dashboard", lambda user: True, order=1))
    sections = scratch.nav_sections()
    assert [title for title, _ in sections[:2]] == ["Zeta", "Alpha"]
    assert [link.label for link in sections[1][1]] == ["First", "Second"]
    with pytest.raises(ValueError):
        scratch.register_nav(scratch.NavLink("No such section", "X", "dashboard", lambda user: True))


def test_sections_of_a_page_are_rendered_by_order(scratch):
    request = RequestFactory().get("/")
    scratch.register_section("test.page", lambda request, obj: f"<p>second {obj}</p>", order=2)
    scratch.register_section("test.page", lambda request, obj: f"<p>first {obj}</p>", order=1)
    assert scratch.render_sections("test.page", request, 7) == ["<p>first 7</p>", "<p>second 7</p>"]
    assert scratch.render_sections("test.nothing", request, 7) == []


def test_one_provider_per_kind_and_a_blank_query_finds_nothing(scratch, acme, acme_admin):
    calls = []
    provider = scratch.SearchProvider("thing", "Things", lambda **kw: calls.append(kw) or [
        scratch.SearchHit("thing", "A thing", "/things/1/")], order=-1)
    scratch.register_search(provider)
    with pytest.raises(ValueError):
        scratch.register_search(scratch.SearchProvider("thing", "Again", lambda **kw: []))
    assert scratch.search(actor=acme_admin, org=acme, query="   ") == []
    assert scratch.search(actor=acme_admin, org=None, query="thing") == []
    assert calls == []
    found = dict(scratch.search(actor=acme_admin, org=acme, query="thing"))
    assert found[provider] == [scratch.SearchHit("thing", "A thing", "/things/1/")]
    assert calls == [{"actor": acme_admin, "org": acme, "query": "thing", "limit": 10}]


def test_users_are_found_by_identity_admins_of_the_org_only(acme, globex, acme_admin, csr):
    ann = make_user(acme, username="acme-ann", email="ann@example.com")
    make_user(globex, username="globex-ann")
    hits = dict((p.kind, h) for p, h in registry.search(actor=acme_admin, org=acme, query="ann"))["user"]
    assert hits == [registry.SearchHit("user", "acme-ann", f"/users/{ann.pk}/", "ann@example.com")]
    assert "user" not in {p.kind for p, _ in registry.search(actor=csr, org=acme, query="ann")}


def test_the_audit_types_name_what_the_audit_log_filters_on():
    assert registry.audit_type_label("accessadmin.user") == "User"
    assert registry.audit_type_label("nothing.registered") == "nothing.registered"
