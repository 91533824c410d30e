"""GET /authz/check — the allow/deny answer for nginx `auth_request` (and Envoy ext_authz alike).

Reads the original request from `X-Original-Method`, `X-Original-URI` and `Authorization`, maps the
path to resource + part with the catalogue's patterns, and answers 200 (with `X-Access-Group`,
`X-Till` or `X-Api-Client`, `X-Org`), 401 (with `WWW-Authenticate`), 403, 429 or 503, with the till
API's error bodies. The client address for throttling is accessadmin.throttling.client_address: the
gateway's X-Forwarded-For / X-Real-IP when the gateway is in TRUSTED_PROXIES, else the connection's.
"""

import json

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from accessadmin.errors import AppError
from accessadmin.throttling import client_address

from . import auth, paths, usage
from .errors import REALM, AccessDenied, AuthorizationUnavailable, Unauthenticated
from .errors import body as error_body
from .policies import decide


def _error(err: AppError) -> HttpResponse:
    response = HttpResponse(json.dumps(error_body(err), default=str), status=err.status,
                            content_type="application/json")
    if err.status == 401:
        response["WWW-Authenticate"] = REALM
    if getattr(err, "retry_after", None):
        response["Retry-After"] = str(int(err.retry_after))
    return response


@csrf_exempt
def authz_check(request):
    """Returns 200/401/403/429/503 for the request described by the X-Original-* headers."""
    method = (request.META.get("HTTP_X_ORIGINAL_METHOD") or "GET").upper()
    uri = request.META.get("HTTP_X_ORIGINAL_URI") or ""
    address = client_address(request)
    try:
        caller = auth.authenticate(request.META.get("HTTP_AUTHORIZATION", ""), address)
        if caller is None:
            raise Unauthenticated("Authentication credentials were not provided.")
        resource, api, _path = paths.resolve(uri, caller.catalogue_version)
        decision = decide(caller, resource, api, method)
        usage.count(caller, decision, method)
        if not decision.passes:
            raise AccessDenied(extra={"explanation": decision.explanation(caller)})
    except AppError as err:
        return _error(err)
    except auth.DB_DOWN:
        return _error(AuthorizationUnavailable())
    response = HttpResponse(status=200)
    response["X-Access-Group"] = caller.group_name
    response["X-Org"] = caller.org_code
    response["X-Till" if caller.kind == "till" else "X-Api-Client"] = caller.code
    response["X-Authz-Outcome"] = decision.outcome
    return response
