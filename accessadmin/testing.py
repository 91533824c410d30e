"""Test helpers of the core, shared by every app's tests. They know only the core; whatever needs a domain
app is a fixture of the root conftest.py."""

import itertools
import socket
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from rest_framework.test import APIClient

from . import services
from .models import AccessRight, Org, Role, User
from .privileges import Privilege

_seq = itertools.count(1)


def make_org(code: str | None = None, name: str | None = None) -> Org:
    """Returns a new org (with its built-in roles). The domain apps' built-in rows are put back before
    every database test by the root conftest."""
    code = code or f"org{next(_seq)}"
    return services.org_create(actor=None, code=code, name=name or code.title())


def make_role(org: Org, *, access_rights=(), code: str | None = None, name: str | None = None) -> Role:
    """Returns a new role of `org` holding the given access rights (ids or Privilege members)."""
    n = next(_seq)
    role = Role.objects.create(org=org, code=code or f"role{n}", name=name or f"Role {n}")
    role.access_rights.set(AccessRight.objects.for_org(org).filter(code__in=[str(a) for a in access_rights]))
    return role


def make_user(org: Org | None, *, username: str | None = None, privileges=(), roles=(), password="pw-for-tests-1",
              **extra) -> User:
    """Returns an active user of `org`. `privileges` are granted through the org's built-in roles."""
    builtin = {Privilege.ADMIN: "adminRole", Privilege.CATALOG: "catalogRole",
               Privilege.CS_AGENT: "csAgentRole", Privilege.ACCESS_CONTROL: "accessControlRole",
               Privilege.CONNECT: "connectRole", Privilege.PII_DELETION: "piiDeletionRole",
               Privilege.PII_APPROVAL: "piiApprovalRole"}
    role_codes = [builtin[Privilege(p)] for p in privileges] + [r.code if isinstance(r, Role) else r for r in roles]
    user = User(org=org, username=username or f"user{next(_seq)}", **extra)
    user.set_password(password)
    user.save()
    if org is not None and role_codes:
        user.roles.set(Role.objects.filter(org=org, code__in=role_codes))
    return user


def api_client(user: User | None = None) -> APIClient:
    """Returns an API client that sends a bearer token of `user` (none for anonymous)."""
    client = APIClient()
    if user is not None:
        key, _ = services.token_issue(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def page_client(user: User | None = None) -> Client:
    """Returns a browser-like client logged in as `user`, enforcing CSRF like a browser would not bypass."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def assert_other_org_404(client, url: str, method: str = "get", data=None, **kwargs) -> None:
    """Asserts that `url` answers 404 to `client` (a user of another org) — not 403, not 200."""
    call = getattr(client, method)
    response = call(url, data, **kwargs) if data is not None else call(url, **kwargs)
    assert response.status_code == 404, f"{method.upper()} {url} → {response.status_code}, expected 404"


def closed_port() -> int:
    """Returns a TCP port of 127.0.0.1 that nothing listens on (it was just bound and released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def database_unreachable():
    """Within it, the next query of this thread has to connect and cannot: PostgreSQL is sought at a closed
    port of 127.0.0.1, SQLite at a file that cannot be opened. The test's own connection is put aside
    untouched (with its transaction state) and comes back afterwards."""
    connection = connections[DEFAULT_DB_ALIAS]
    saved = dict(connection.__dict__)
    if connection.vendor == "postgresql":
        unreachable = {"HOST": "127.0.0.1", "PORT": str(closed_port())}
    else:
        unreachable = {"NAME": "/nonexistent-accessadmin-dir/db.sqlite3"}
    connection.connection = None
    connection.settings_dict = {**connection.settings_dict, **unreachable}
    try:
        yield
    finally:
        connection.__dict__.clear()
        connection.__dict__.update(saved)
