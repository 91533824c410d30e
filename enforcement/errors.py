"""Errors of the till API and the gateway check, in the source platform's response shape, and the codes
of enforcement's own pages and API."""

from enum import nonmember

from accessadmin.errors import AppError, ErrorCode, NumericErrorCode


class TillCode(NumericErrorCode):
    """Stable numeric codes of the till API's error bodies (4000 and 4001 are the source platform's)."""

    surfaces = nonmember(("/v2", "/authz"))

    ACCESS_DENIED = 4000, 403, "The caller's access group does not allow the request (explanation says why)."
    AUTHORIZATION_UNAVAILABLE = 4001, 503, "No decision can be made now (the database is unreachable)."
    UNAUTHENTICATED = 4010, 401, "No credentials, wrong ones, a deactivated till or an expired token."
    BASIC_AUTH_DISABLED = 4011, 401, "The organization has turned HTTP Basic off for its tills."
    THROTTLED = 4029, 429, "Too many failed credentials from this till and address, or this address."
    INVALID_INPUT = 4100, 400, "The request's input is not valid; fields names what is wrong."
    NOT_FOUND = 4104, 404, "No such customer, store or event, or not one of the caller's organization."
    CONFLICT = 4109, 409, "The request conflicts with the current state (a taken code or name)."
    INSUFFICIENT_POINTS = 4120, 409, "The balance is lower than the points to redeem."
    METHOD_NOT_ALLOWED = 4105, 405, "The path does not answer this HTTP method."
    NOT_ACCEPTABLE = 4106, 406, "The Accept header asks for nothing the API can answer."
    PAYLOAD_TOO_LARGE = 4113, 413, "The request body is larger than the limit."
    UNSUPPORTED_MEDIA_TYPE = 4115, 415, "The body's content type is not JSON."
    SERVER_ERROR = 4500, 500, "The server could not complete the request (a bug, logged)."


class EnforcementErrorCode(ErrorCode):
    """The string codes behind the till API's numbers, and those of enforcement's own pages and API."""

    surfaces = nonmember(("/v2", "/authz", "/api/v1", "pages"))

    UNAUTHENTICATED = "unauthenticated", 401, "The till or API client could not be authenticated (till: 4010)."
    BASIC_AUTH_DISABLED = "basic_auth_disabled", 401, "The org has turned HTTP Basic off (till: 4011)."
    ACCESS_DENIED = "access_denied", 403, "The caller's access group does not allow the request (till: 4000)."
    AUTHORIZATION_UNAVAILABLE = ("authorization_unavailable", 503,
                                 "No decision can be made now: the database is unreachable (till: 4001).")
    INVALID_BASIC_AUTH_ENABLED = "invalid_basic_auth_enabled", 400, "basic_auth_enabled must be true or false."
    INVALID_BASIC_AUTH_FOR_NEW_TILLS = ("invalid_basic_auth_for_new_tills", 400,
                                        "basic_auth_for_new_tills must be true or false.")
    INVALID_ENFORCEMENT_MODE = "invalid_enforcement_mode", 400, "enforcement_mode must be enforce or report_only."
    INVALID_DAYS = "invalid_days", 400, "days must be a whole number from 1 to 365."
    INVALID_OUTCOME = "invalid_outcome", 400, "outcome must be allowed, denied or would_deny."
    NO_USAGE = "no_usage", 409, "The store's tills made no requests in the period: there is nothing to suggest."


DENIED_MESSAGE = "Not authorized. Access is denied!"
UNAVAILABLE_MESSAGE = "Authorization status unavailable!"
REALM = 'Basic realm="accessadmin"'


class Unauthenticated(AppError):
    status = 401
    code = EnforcementErrorCode.UNAUTHENTICATED
    message = "Authentication credentials were missing or wrong."


class AuthorizationUnavailable(AppError):
    status = 503
    code = EnforcementErrorCode.AUTHORIZATION_UNAVAILABLE
    message = UNAVAILABLE_MESSAGE


class AccessDenied(AppError):
    status = 403
    code = EnforcementErrorCode.ACCESS_DENIED
    message = DENIED_MESSAGE


_BY_APP_CODE = {
    "access_denied": TillCode.ACCESS_DENIED,
    "authorization_unavailable": TillCode.AUTHORIZATION_UNAVAILABLE,
    "basic_auth_disabled": TillCode.BASIC_AUTH_DISABLED,
    "throttled": TillCode.THROTTLED,
    "insufficient_points": TillCode.INSUFFICIENT_POINTS,
    "method_not_allowed": TillCode.METHOD_NOT_ALLOWED,
}
_BY_STATUS = {401: TillCode.UNAUTHENTICATED, 403: TillCode.ACCESS_DENIED, 404: TillCode.NOT_FOUND,
              405: TillCode.METHOD_NOT_ALLOWED, 406: TillCode.NOT_ACCEPTABLE, 409: TillCode.CONFLICT,
              413: TillCode.PAYLOAD_TOO_LARGE, 415: TillCode.UNSUPPORTED_MEDIA_TYPE, 429: TillCode.THROTTLED,
              500: TillCode.SERVER_ERROR, 503: TillCode.AUTHORIZATION_UNAVAILABLE}


def body(err: AppError) -> dict:
    """Returns `{"warnings": [], "errors": [{"status": false, "code": …, "message": …}]}` for `err`,
    plus `explanation` (denials) and `fields` (bad input) when there are any."""
    code = _BY_APP_CODE.get(err.code) or _BY_STATUS.get(err.status) or TillCode.INVALID_INPUT
    entry = {"status": False, "code": int(code), "message": err.message}
    if err.status == 403:
        entry["message"] = DENIED_MESSAGE
    elif err.status == 503:
        # Whatever is down (the database, the cache), a till learns only that no decision can be made.
        entry["message"] = UNAVAILABLE_MESSAGE
    out = {"warnings": [], "errors": [entry]}
    if err.fields:
        out["fields"] = err.fields
    out.update(err.extra)
    return out
