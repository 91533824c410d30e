"""The design system's pieces (docs/design-system.md): the date filter, the badge, the layout's landmarks and
links, the error pages in the layout (404 in development too, JSON kept under the API prefixes)."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path
from django.utils import timezone

from accessadmin.templatetags.ui import relative, status_badge, when
from accessadmin.testing import page_client
from accessadmin.urls import urlpatterns as project_urlpatterns

UTC = datetime.UTC


def broken_page(request):
    raise RuntimeError("a bug in a page")


# This module is also a URLconf (@pytest.mark.urls(__name__)): the project's paths plus a page with a bug.
urlpatterns = [path("test-broken-page/", broken_page), *project_urlpatterns]


def test_when_renders_one_format_with_the_relative_time_as_title(settings):
    moment = timezone.now() - datetime.timedelta(hours=3, minutes=2)
    html = str(when(moment))
    assert html.startswith(f'<time datetime="{moment.isoformat(timespec="seconds")}" title="3 hours ago">')
    assert html.endswith(f"{moment.day} {moment:%b %Y, %H:%M}</time>")
    fixed = datetime.datetime(2026, 11, 30, 14, 5, 9, tzinfo=UTC)
    assert ">30 Nov 2026, 14:05<" in str(when(fixed))
    assert ">30 Nov 2026<" in str(when(fixed, "date"))
    assert str(when(datetime.date(2026, 11, 5))).endswith(">5 Nov 2026</time>")
    assert when(None) == "—"


def test_when_follows_the_time_zone(settings):
    settings.TIME_ZONE = "Europe/Oslo"
    with timezone.override("Europe/Oslo"):
        assert ">30 Nov 2026, 15:05<" in str(when(datetime.datetime(2026, 11, 30, 14, 5, tzinfo=UTC)))


def test_relative_words():
    now = datetime.datetime(2026, 11, 30, 14, 5, tzinfo=UTC)
    assert relative(now - datetime.timedelta(days=1, hours=2), now) == "1 day ago"
    assert relative(now - datetime.timedelta(days=3), now) == "3 days ago"
    assert relative(now + datetime.timedelta(days=2, hours=1), now) == "in 2 days"
    assert relative(now - datetime.timedelta(seconds=20), now) == "just now"


def test_the_template_filter_escapes_and_loads():
    html = Template("{% load ui %}{{ d|when }} {{ d|relative }} {% status_badge s %}").render(
        Context({"d": timezone.now() - datetime.timedelta(minutes=5), "s": "<b>odd</b>"}))
    assert "<time " in html and "5 minutes ago" in html
    assert '<span class="badge">&lt;b&gt;odd&lt;/b&gt;</span>' in html


@pytest.mark.parametrize(("status", "html"), [
    ("active", '<span class="badge ok">Active</span>'),
    ("failed", '<span class="badge bad">Failed</span>'),
    ("pending", '<span class="badge warn">Pending</span>'),
    ("queued", '<span class="badge info">Queued</span>'),
    ("inactive", '<span class="badge">Inactive</span>'),
    ("report_only", '<span class="badge warn">Report only</span>'),
    (True, '<span class="badge ok">Yes</span>'),
    (False, '<span class="badge">No</span>'),
])
def test_one_badge_for_every_status(status, html):
    assert status_badge(status) == html


def test_badge_label_and_variant_can_be_given():
    badge = status_badge("masked", label="Masked for you", variant="bad")
    assert badge == '<span class="badge bad">Masked for you</span>'


@pytest.mark.django_db
def test_the_layout_has_landmarks_a_skip_link_the_favicon_and_the_api_docs(acme_admin):
    html = page_client(acme_admin).get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    assert "<header" in html and '<nav aria-label="Main">' in html and "<footer" in html
    assert 'href="/" aria-current="page"' in html
    assert 'rel="icon" href="/static/img/favicon.svg"' in html and 'href="/static/favicon.ico"' in html
    assert 'href="/api/docs/"' in html
    assert 'role="search" aria-label="Site search"' in html and 'hx-get="/search/"' in html
    assert '<label for="global-search-q"' in html


@pytest.mark.django_db
def test_favicon_ico_at_the_root():
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response.url == "/static/favicon.ico"


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False], ids=["development", "production"])
def test_unknown_pages_show_the_layout_and_apis_keep_json(acme_admin, settings, debug):
    settings.DEBUG = debug
    client = page_client(acme_admin)
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    html = page.content.decode()
    assert "Page not found" in html and '<nav aria-label="Main">' in html and "Technical" not in html
    # A view's own Http404 (another org's object, a missing one) too.
    missing = client.get("/users/999999/")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()
    for url in ("/api/v1/no-such-thing/", "/ccadmin/v1/no-such-thing", "/v2/no-such-thing"):
        api = client.get(url)
        assert api.status_code == 404 and api["Content-Type"].startswith("application/json"), url
    anonymous = Client().get("/no-such-page/")
    assert anonymous.status_code == 404 and "Page not found" in anonymous.content.decode()


@pytest.mark.django_db
def test_forbidden_pages_show_the_layout(csr):
    response = page_client(csr).get("/users/")
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode() and '<nav aria-label="Main">' in response.content.decode()


def test_the_500_page_renders_without_a_request_or_database():
    # Django's server_error view renders it with an empty context; no database here (not a django_db test).
    html = render_to_string("500.html")
    assert "Something went wrong" in html and '<main id="main"' in html and 'class="skip-link"' in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_bug_in_a_page_shows_the_500_page(acme_admin, settings):
    settings.DEBUG = False
    client = page_client(acme_admin)
    client.raise_request_exception = False
    response = client.get("/test-broken-page/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# The one format of the site, and ISO 8601 for machines; anything else is a date shown another way.
DATE_FORMATS = {"c", "j M Y", "j M Y, H:i"}


def test_every_template_wraps_its_tables_and_shows_dates_one_way():
    unwrapped, other_dates = [], []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text()
        name = str(template.relative_to(TEMPLATES))
        if text.count("<table") > text.count('class="table-wrap"'):
            unwrapped.append(name)
        other_dates += [f"{name}: {fmt}" for fmt in re.findall(r"\|date:[\"']([^\"']*)[\"']", text)
                        if fmt not in DATE_FORMATS]
    assert unwrapped == [], "tables outside <div class=\"table-wrap\">"
    assert other_dates == [], "dates not through |when"
