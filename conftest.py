import os

import pytest
from django.core.cache import cache

from accessadmin.privileges import Privilege
from accessadmin.testing import api_client, make_org, make_user, page_client
from groups import services as group_services
from groups.models import AccessGroup
from stores import services as store_services


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # Tests create hundreds of users; the production hasher would dominate the run.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


API_PREFIXES = ("/v2/", "/api/v1/", "/ccadmin/v1/", "/oauth/", "/authz/")


@pytest.fixture(autouse=True)
def _api_errors_are_json(monkeypatch):
    """Fails the test when the test client gets an error (status >= 400) under an API prefix whose body is
    not JSON: the proof, over the whole suite, that no API error is an HTML page."""
    from django.test.client import ClientHandler

    handle = ClientHandler.__call__

    def checked(self, environ):
        response = handle(self, environ)
        path = environ.get("PATH_INFO", "")
        media_type = response.get("Content-Type", "").split(";")[0].strip()
        if path.startswith(API_PREFIXES) and response.status_code >= 400 and media_type != "application/json":
            pytest.fail(f"{environ['REQUEST_METHOD']} {path} answered {response.status_code} with "
                        f"{media_type or 'no content type'}, not JSON")
        return response

    monkeypatch.setattr(ClientHandler, "__call__", checked)


@pytest.fixture
def redis_cache(settings):
    """Points the default cache at the Redis on 127.0.0.1:6379, as in production, under a key prefix of
    this test alone; its keys are deleted afterwards (never the whole database: others may share it)."""
    import uuid

    import redis

    url = "redis://127.0.0.1:6379/0"
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                                   "KEY_PREFIX": prefix}}
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def acme(db):
    return make_org("acme", "Acme Retail")


@pytest.fixture
def globex(db):
    return make_org("globex", "Globex Stores")


@pytest.fixture
def acme_admin(acme):
    return make_user(acme, username="acme-admin", privileges=[Privilege.ADMIN])


@pytest.fixture
def globex_admin(globex):
    return make_user(globex, username="globex-admin", privileges=[Privilege.ADMIN])


@pytest.fixture
def platform_staff(db):
    return make_user(None, username="platform", is_staff=True, is_superuser=True)


@pytest.fixture
def api():
    """api(user) → an APIClient sending that user's bearer token."""
    return api_client


@pytest.fixture
def pages():
    """pages(user) → a logged-in test Client."""
    return page_client


def pytest_collection_modifyitems(config, items):
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def _chromium():
    in_ci = os.environ.get("CI", "").lower() == "true"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci:
            pytest.fail("playwright is not installed")
        pytest.skip("playwright is not installed")
    if not os.path.exists(CHROMIUM):
        if in_ci:
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_chromium, live_server):
    """A fresh browser page; `browser_page.base` is the live server's URL."""
    context = _chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    yield page
    context.close()


def _browser_login(page, username: str, password: str) -> None:
    page.goto(f"{page.base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/")


@pytest.fixture
def login_in_browser():
    """login_in_browser(page, username, password) signs in through the login page."""
    return _browser_login


# --- access groups and stores -------------------------------------------------

@pytest.fixture
def ac_user(acme):
    """An acme user with the Access control privilege only."""
    return make_user(acme, username="acme-access", privileges=[Privilege.ACCESS_CONTROL])


@pytest.fixture
def make_stores():
    def make(org, n, prefix=None):
        prefix = prefix or org.code
        return [store_services.store_create(actor=None, org=org, code=f"{prefix}-s{i:03d}", name=f"Store {i}",
                                            city="Oslo") for i in range(1, n + 1)]
    return make


@pytest.fixture
def make_group():
    def make(org, name="WeChat", permissions=None, **kw):
        group, _ = group_services.group_create(
            actor=None, org=org, name=name, description=kw.get("description", ""),
            permissions=permissions if permissions is not None else [
                {"resource": "customer", "api": "data", "read": True, "write": False}])
        return group
    return make


@pytest.fixture
def builtin():
    def get(name):
        return AccessGroup.objects.get(org__isnull=True, name=name)
    return get
