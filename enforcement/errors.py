"""Errors of the till API and the gateway check, in the source platform's response shape."""

from enum import IntEnum

from accessadmin.errors import AppError


class TillCode(IntEnum):
    """Stable numeric codes of the till API's error bodies (4000 and 4001 are the source platform's)."""

    ACCESS_DENIED = 4000
    AUTHORIZATION_UNAVAILABLE = 4001
    UNAUTHENTICATED = 4010
    BASIC_AUTH_DISABLED = 4011
    THROTTLED = 4029
    INVALID_INPUT = 4100
    NOT_FOUND = 4104
    CONFLICT = 4109
    INSUFFICIENT_POINTS = 4120
    METHOD_NOT_ALLOWED = 4105
    NOT_ACCEPTABLE = 4106
    PAYLOAD_TOO_LARGE = 4113
    UNSUPPORTED_MEDIA_TYPE = 4115
    SERVER_ERROR = 4500


DENIED_MESSAGE = "Not authorized. Access is denied!"
UNAVAILABLE_MESSAGE = "Authorization status unavailable!"
REALM = 'Basic realm="accessadmin"'


class Unauthenticated(AppError):
    status = 401
    code = "unauthenticated"
    message = "Authentication credentials were missing or wrong."


class AuthorizationUnavailable(AppError):
    status = 503
    code = "authorization_unavailable"
    message = UNAVAILABLE_MESSAGE


class AccessDenied(AppError):
    status = 403
    code = "access_denied"
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
