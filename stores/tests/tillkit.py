"""Test helpers for the till API and its enforcement (used by the test_till*/test_enforcement*/… files)."""

import base64
import hashlib
import itertools

from rest_framework.test import APIClient

from groups import services as group_services
from groups.builtins import ADMIN, INSTORE, POS
from groups.models import AccessGroup
from stores import services as store_services
from stores.enforcement import auth as enforcement_auth
from stores.enforcement import usage
from stores.tillapi import customers
from stores.tillapi import services as tillapi_services
from stores.tills import services as till_services

SECRET = "till-secret-for-tests"
_seq = itertools.count(1)


def builtin(name: str) -> AccessGroup:
    return AccessGroup.objects.get(org__isnull=True, name=name)


def custom_group(org, name: str, cells) -> AccessGroup:
    """cells: iterable of (resource, api, permission)."""
    group, _ = group_services.group_create(actor=None, org=org, name=name, grants=frozenset(cells))
    return group


def make_store(org, code: str | None = None, group=None):
    code = code or f"{org.code}-st{next(_seq)}"
    return store_services.store_create(actor=None, org=org, code=code, name=f"Store {code}", access_group=group)


def make_till(org, store=None, code: str = "", secret: str = SECRET):
    store = store or make_store(org)
    till, secret = till_services.till_create(actor=None, org=org, store=store, code=code, secret=secret)
    return till


def basic(code: str, secret: str = SECRET, md5: bool = False) -> str:
    password = hashlib.md5(secret.encode()).hexdigest() if md5 else secret
    return "Basic " + base64.b64encode(f"{code}:{password}".encode()).decode()


def till_client(code: str, secret: str = SECRET, md5: bool = False) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=basic(code, secret, md5))
    return client


def make_api_client(org, group, name: str | None = None):
    """Returns (ApiClient, client secret)."""
    return till_services.api_client_create(actor=None, org=org, name=name or f"client{next(_seq)}",
                                           access_group=group)


def oauth_token(client_id: str, secret: str) -> str:
    response = APIClient().post("/oauth/token", {"grant_type": "client_credentials", "client_id": client_id,
                                                 "client_secret": secret})
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def bearer_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def make_customer(org, mobile: str | None = None, email: str | None = None):
    n = next(_seq)
    return customers.register(org=org, data={"mobile": mobile or f"+4917{n:07d}",
                                             "email": email or f"shopper{n}@example.com", "first_name": "Sam"})


def give_points(org, customer_id: int, points: int, caller=None):
    class _System:
        till_id = None
        api_client_id = None
    return tillapi_services.points_issue(caller=caller or _System(), org=org, customer_id=customer_id, points=points)


def reset_enforcement_caches() -> None:
    enforcement_auth.forget_verifications()
    usage.reset()


__all__ = ["ADMIN", "INSTORE", "POS", "SECRET", "basic", "bearer_client", "builtin", "custom_group", "give_points",
           "make_api_client", "make_customer", "make_store", "make_till", "oauth_token", "reset_enforcement_caches",
           "till_client"]
