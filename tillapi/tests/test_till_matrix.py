"""The test matrix: every till API endpoint × method, for POS, Instore, Admin and a custom group,
through HTTP Basic with the secret, with the MD5 of the secret, and with an OAuth2 bearer token.
Each case is checked both ways: allowed requests succeed, denied ones get the exact 403 body."""

import itertools
from urllib.parse import quote

import pytest

from groups.builtins import ADMIN, INSTORE, POS
from groups.cells import APIS, PERMISSIONS
from groups.models import ApiResource
from loyalty import services as loyalty_services

CUSTOM_CELLS = {("customer", "data", "read"), ("points", "data", "read"), ("store", "config", "read"),
                ("store", "config", "write"), ("behavioral_event", "data", "write")}
_n = itertools.count(1)

# (method, path, resource, api, status when allowed, body(ctx) or None)
ENDPOINTS = [
    ("GET", "/v2/customers?mobile={mobile}", "customer", "data", 200, None),
    ("POST", "/v2/customers", "customer", "data", 201,
     lambda c: {"mobile": f"+3161{next(_n):07d}", "first_name": "New"}),
    ("GET", "/v2/customers/{cid}", "customer", "data", 200, None),
    ("PATCH", "/v2/customers/{cid}", "customer", "data", 200, lambda c: {"first_name": "Alex"}),
    ("GET", "/v2/transactions", "transaction", "data", 200, None),
    ("POST", "/v2/transactions", "transaction", "data", 201,
     lambda c: {"customer_id": c["cid"], "bill_number": f"B{next(_n)}", "amount": "19.90"}),
    ("GET", "/v2/points/{cid}", "points", "data", 200, None),
    ("POST", "/v2/points/issue", "points", "data", 200, lambda c: {"customer_id": c["cid"], "points": 5}),
    ("POST", "/v2/points/redeem", "points", "data", 200, lambda c: {"customer_id": c["cid"], "points": 1}),
    ("POST", "/v2/events", "behavioral_event", "data", 201, lambda c: {"event": "visit", "customer_id": c["cid"]}),
    ("GET", "/v2/stores", "store", "config", 200, None),
    ("POST", "/v2/stores", "store", "config", 201, lambda c: {"code": f"new-{next(_n)}", "name": "New"}),
    ("GET", "/v2/tills", "till", "config", 200, None),
    ("POST", "/v2/tills", "till", "config", 201, lambda c: {"store": c["store"], "code": f"acme-new-t{next(_n)}"}),
    ("GET", "/v2/behavioral-events", "behavioral_event", "config", 200, None),
    ("POST", "/v2/behavioral-events", "behavioral_event", "config", 201, lambda c: {"name": f"ev{next(_n)}"}),
    ("GET", "/v2/org", "organization", "config", 200, None),
]
GROUPS = [POS, INSTORE, ADMIN, "custom"]
AUTHS = ["basic", "md5", "oauth2"]
DENIED_BODY = {"warnings": [], "errors": [{"status": False, "code": 4000,
                                           "message": "Not authorized. Access is denied!"}]}


def _grants(builtin, group_name) -> set:
    if group_name == ADMIN:
        return {(r, a, p) for r in ApiResource.objects.values_list("key", flat=True) for a in APIS
                for p in PERMISSIONS}
    if group_name == "custom":
        return CUSTOM_CELLS
    return {(c.resource.key, c.api, p) for c in builtin(group_name).cells.select_related("resource")
            for p in PERMISSIONS if getattr(c, p)}


@pytest.fixture
def setup(bearer_client, builtin, make_group, give_points, make_api_client, make_customer, make_store, make_till,
          oauth_token, till_client, acme):
    group = make_group(acme, "Matrix custom", grants=CUSTOM_CELLS)
    store = make_store(acme, "acme-matrix")
    customer = make_customer(acme)
    give_points(acme, customer.pk, 50)
    loyalty_services.event_definition_create(org=acme, name="visit")

    def client_for(group_name: str, how: str):
        group_obj = group if group_name == "custom" else builtin(group_name)
        if how == "oauth2":
            api_client, secret = make_api_client(acme, group_obj)
            return bearer_client(oauth_token(api_client.client_id, secret))
        till_store = make_store(acme, group=None if group_name == POS else group_obj)
        till = make_till(acme, till_store)
        return till_client(till.code, md5=how == "md5")

    return {"client_for": client_for, "ctx": {"cid": customer.pk, "mobile": quote(customer.mobile),
                                              "store": store.code}}


@pytest.mark.parametrize("how", AUTHS)
@pytest.mark.parametrize("group_name", GROUPS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[f"{e[0]} {e[1].split('?')[0]}" for e in ENDPOINTS])
def test_matrix(setup, builtin, group_name, how, endpoint):
    method, path, resource, api, ok_status, body = endpoint
    permission = "read" if method == "GET" else "write"
    client = setup["client_for"](group_name, how)
    ctx = setup["ctx"]
    url = path.format(**ctx)
    data = body(ctx) if body else None
    response = getattr(client, method.lower())(url, data, format="json") if data is not None \
        else getattr(client, method.lower())(url)
    allowed = (resource, api, permission) in _grants(builtin, group_name)
    if allowed:
        assert response.status_code == ok_status, (url, response.content)
    else:
        assert response.status_code == 403, (url, response.content)
        payload = response.json()
        assert {k: payload[k] for k in ("warnings", "errors")} == DENIED_BODY
        assert payload["explanation"]["resource"] == resource
        assert payload["explanation"]["part"] == api
        assert payload["explanation"]["permission"] == permission
        assert payload["explanation"]["access_group"] == ("Matrix custom" if group_name == "custom" else group_name)


def test_trailing_slash_form_also_works(setup):
    client = setup["client_for"](ADMIN, "basic")
    for path in ("/v2/org/", "/v2/stores/", f"/v2/points/{setup['ctx']['cid']}/", "/v2/customers/"):
        assert client.get(path).status_code == 200, path
