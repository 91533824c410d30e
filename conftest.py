"""Fixtures shared by every app's tests.

The core's helpers (accessadmin.testing) know only the core. Whatever needs the domain apps — their
built-in rows, groups, stores, tills, API clients, customers, points — is a fixture here, the one place
a test of any app gets them from (so a test of a lower app never imports a higher one).
"""

import base64
import hashlib
import itertools
import os
import tempfile

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accessadmin.privileges import Privilege
from accessadmin.testing import api_client, make_org, make_user, page_client
from enforcement import auth as enforcement_auth
from enforcement import usage as enforcement_usage
from groups import services as group_services
from groups.builtins import ensure_builtins
from groups.models import AccessGroup
from loyalty import services as loyalty_services
from shopperdata import services as shopper_services
from stores import services as store_services

_seq = itertools.count(1)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # Tests create hundreds of users; the production hasher would dominate the run.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No NOTIFY listener threads: their connections would keep the test database from being dropped
    # (accessadmin/tests/test_versions.py starts and stops one itself).
    settings.ENFORCEMENT_NOTIFY = False
    # Version counters of this test process's own (xdist workers' SQLite test databases share a name); the
    # processes a test starts inherit the directory through the environment.
    os.environ["ENFORCEMENT_VERSION_DIR"] = settings.ENFORCEMENT_VERSION_DIR = tempfile.mkdtemp(prefix="versions-")


@pytest.fixture(autouse=True)
def _clear_cache():
    """Every test starts with empty caches: the shared cache, and this process's enforcement caches
    (verified till credentials, unflushed usage counters)."""
    _forget_everything()
    yield
    _forget_everything()


def _forget_everything() -> None:
    cache.clear()
    enforcement_auth.forget_verifications()
    enforcement_usage.reset()


def _uses_transactional_db(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return ("transactional_db" in request.fixturenames or "live_server" in request.fixturenames
            or bool(marker and marker.kwargs.get("transaction")))


@pytest.fixture(autouse=True)
def _builtin_rows(request):
    """Puts back the rows data migrations made (built-in privileges come with every new org; the API
    catalogue and the built-in groups here), which a transactional test earlier in the run may have
    flushed away. Only for tests that use the database."""
    if _uses_transactional_db(request):
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    ensure_builtins()


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
def csr(acme):
    """An acme customer service agent (the CS Agent privilege only)."""
    return make_user(acme, username="acme-csr", privileges=[Privilege.CS_AGENT])


@pytest.fixture
def platform_staff(db):
    return make_user(None, username="platform", is_staff=True, is_superuser=True)


@pytest.fixture
def constant_queries(django_assert_num_queries):
    """constant_queries(client, url, queries, add_rows) → the response to GET `url` once add_rows() ran.

    Pins the query count of a list or page exactly: `queries` for few rows, and the same `queries` again
    after add_rows() added many. A first, unmeasured GET warms what a process keeps between requests."""
    def check(client, url, queries, add_rows):
        assert client.get(url).status_code == 200
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
        add_rows()
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200
        return response
    return check


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


# --- access groups, stores, tills, API clients, customers ---------------------------------------------------

TILL_SECRET = "till-secret-for-tests"


@pytest.fixture
def ac_user(acme):
    """An acme user with the Access control privilege only."""
    return make_user(acme, username="acme-access", privileges=[Privilege.ACCESS_CONTROL])


@pytest.fixture
def builtin():
    """builtin(name) → the built-in access group of that name (POS, Instore, Admin)."""
    def get(name):
        return AccessGroup.objects.get(org__isnull=True, name=name)
    return get


@pytest.fixture
def make_group():
    """make_group(org, name, permissions=[...] or grants={(resource, api, permission)}) → a custom group."""
    def make(org, name="WeChat", permissions=None, *, grants=None, description=""):
        if grants is not None:
            group, _ = group_services.group_create(actor=None, org=org, name=name, description=description,
                                                   grants=frozenset(grants))
        else:
            group, _ = group_services.group_create(
                actor=None, org=org, name=name, description=description,
                permissions=permissions if permissions is not None else [
                    {"resource": "customer", "api": "data", "read": True, "write": False}])
        return group
    return make


@pytest.fixture
def make_store():
    """make_store(org, code=None, group=None) → a new store (allocated to `group` when given)."""
    def make(org, code=None, group=None):
        code = code or f"{org.code}-st{next(_seq)}"
        return store_services.store_create(actor=None, org=org, code=code, name=f"Store {code}", access_group=group)
    return make


@pytest.fixture
def make_stores():
    """make_stores(org, n, prefix=None) → n new stores <prefix>-s001 … in Oslo."""
    def make(org, n, prefix=None):
        prefix = prefix or org.code
        return [store_services.store_create(actor=None, org=org, code=f"{prefix}-s{i:03d}", name=f"Store {i}",
                                            city="Oslo") for i in range(1, n + 1)]
    return make


@pytest.fixture
def allocate():
    """allocate(org, group, store_codes, actor=None) → how many of the stores moved to `group`."""
    def run(org, group, store_codes, actor=None):
        return store_services.stores_allocate(actor=actor, org=org, group=group, store_codes=list(store_codes))
    return run


@pytest.fixture
def till_secret():
    """The secret make_till gives a till unless told otherwise."""
    return TILL_SECRET


@pytest.fixture
def make_till(make_store):
    """make_till(org, store=None, code="", secret=TILL_SECRET) → a new till (of a new store unless given)."""
    def make(org, store=None, code="", secret=TILL_SECRET):
        till, _secret = store_services.till_create(actor=None, org=org, store=store or make_store(org), code=code,
                                                   secret=secret)
        return till
    return make


@pytest.fixture
def make_api_client():
    """make_api_client(org, group, name=None) → (API client, its client secret)."""
    def make(org, group, name=None):
        return store_services.api_client_create(actor=None, org=org, name=name or f"client{next(_seq)}",
                                                access_group=group)
    return make


def _basic(code, secret=TILL_SECRET, md5=False) -> str:
    password = hashlib.md5(secret.encode()).hexdigest() if md5 else secret
    return "Basic " + base64.b64encode(f"{code}:{password}".encode()).decode()


@pytest.fixture
def basic_auth():
    """basic_auth(code, secret=TILL_SECRET, md5=False) → an `Authorization: Basic` value for a till."""
    return _basic


@pytest.fixture
def till_client():
    """till_client(code, secret=TILL_SECRET, md5=False) → an APIClient sending the till's Basic credentials."""
    def make(code, secret=TILL_SECRET, md5=False):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=_basic(code, secret, md5))
        return client
    return make


@pytest.fixture
def oauth_token():
    """oauth_token(client_id, secret) → an access token from POST /oauth/token (client credentials)."""
    def get(client_id, secret):
        response = APIClient().post("/oauth/token", {"grant_type": "client_credentials", "client_id": client_id,
                                                     "client_secret": secret})
        assert response.status_code == 200, response.content
        return response.json()["access_token"]
    return get


@pytest.fixture
def bearer_client():
    """bearer_client(token) → an APIClient sending `Authorization: Bearer <token>`."""
    def make(token):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client
    return make


@pytest.fixture
def make_customer():
    """make_customer(org, mobile=None, email=None) → a new customer (a shopper profile of the org)."""
    def make(org, mobile=None, email=None):
        n = next(_seq)
        values = {"mobile": mobile or f"+4917{n:07d}", "email": email or f"shopper{n}@example.com",
                  "firstName": "Sam"}
        return shopper_services.profile_create(actor=None, org=org, values=values).profile
    return make


class _System:
    """Who issues points outside the till API (tests): neither a till nor an API client."""

    till_id = None
    api_client_id = None


@pytest.fixture
def give_points():
    """give_points(org, customer_id, points, caller=None) → the customer's new balance."""
    def give(org, customer_id, points, caller=None):
        return loyalty_services.points_issue(caller=caller or _System(), org=org, customer_id=customer_id,
                                             points=points)
    return give
