"""The Content-Security-Policy on every response, and templates with nothing inline that it would block."""

import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
POLICY = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "object-src": "'none'", "base-uri": "'self'", "frame-ancestors": "'none'", "form-action": "'self'",
}


def policy_of(response) -> dict[str, str]:
    directives = (d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    return {name: value for name, value in directives}


def test_pages_carry_the_strict_policy(acme_admin, pages):
    assert policy_of(Client().get("/login/")) == POLICY
    assert policy_of(pages(acme_admin).get("/")) == POLICY
    assert policy_of(pages(acme_admin).get("/users/new/")) == POLICY


def test_the_api_docs_load_their_script_from_a_url_under_the_same_policy():
    page = Client().get("/api/docs/")
    assert page.status_code == 200 and policy_of(page) == POLICY
    html = page.content.decode()
    assert '<script src="/api/docs/?script="></script>' in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None and "<style" not in html
    script = Client().get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_api_answers_carry_it_too(acme_admin, api):
    assert policy_of(api(acme_admin).get("/api/v1/me/")) == POLICY


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<[^>]*\son[a-z]+\s*=", re.I), "on…= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"<[^>]*\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"<style", re.I), "<style> element"),
    (re.compile(r"\bhx-on", re.I), "htmx hx-on handler"),
]


def test_no_template_has_inline_script_or_style():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")) + sorted(ROOT.glob("*/templates/**/*.html")):
        text = path.read_text()
        found += [f"{path.relative_to(ROOT)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert found == []
