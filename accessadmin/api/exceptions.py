"""The one DRF exception handler: every error leaves the API with a stable code.

`/api/v1/...` answers `{"code", "message", "fields"?}`; `/ccadmin/v1/...`
answers the commerce admin shape `{"errorCode", "message", "status"}`;
`/oauth/...` answers RFC 6749's `{"error", "error_description"}`. Other
surfaces (the till API) register their shape in accessadmin.surfaces; the
shape is chosen by the request's path there, for this handler and the API
error middleware alike. A view may still adjust codes with `render_app_error`.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .. import surfaces
from ..errors import AppError, CoreErrorCode, Throttled

DRF_CODES = {
    exceptions.NotAuthenticated: CoreErrorCode.NOT_AUTHENTICATED,
    exceptions.AuthenticationFailed: CoreErrorCode.AUTHENTICATION_FAILED,
    exceptions.PermissionDenied: CoreErrorCode.PERMISSION_DENIED,
    exceptions.NotFound: CoreErrorCode.NOT_FOUND,
    exceptions.MethodNotAllowed: CoreErrorCode.METHOD_NOT_ALLOWED,
    exceptions.NotAcceptable: CoreErrorCode.NOT_ACCEPTABLE,
    exceptions.UnsupportedMediaType: CoreErrorCode.UNSUPPORTED_MEDIA_TYPE,
    exceptions.ParseError: CoreErrorCode.PARSE_ERROR,
    exceptions.Throttled: CoreErrorCode.THROTTLED,
    exceptions.ValidationError: CoreErrorCode.INVALID,
}


def _to_app_error(exc) -> AppError | None:
    if isinstance(exc, AppError):
        return exc
    if isinstance(exc, Http404):
        return AppError("Not found.", code=CoreErrorCode.NOT_FOUND, status=404)
    if isinstance(exc, DjangoPermissionDenied):
        return AppError("You do not have permission to do this.", code=CoreErrorCode.PERMISSION_DENIED, status=403)
    if isinstance(exc, exceptions.APIException):
        code = next((c for cls, c in DRF_CODES.items() if isinstance(exc, cls)), CoreErrorCode.ERROR)
        fields = {}
        if isinstance(exc, exceptions.ValidationError):
            detail = exc.detail
            if isinstance(detail, dict):
                fields = {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
                first = next(iter(fields.items()), None)
                message = f"{first[0]}: {first[1][0]}" if first and first[1] else "The input is not valid."
            else:
                items = detail if isinstance(detail, list) else [detail]
                message = " ".join(str(m) for m in items) or "The input is not valid."
        else:
            message = str(exc.detail)
        err = AppError(message, code=code, status=exc.status_code, fields=fields)
        if isinstance(exc, exceptions.Throttled):
            err.retry_after = exc.wait
        return err
    return None


def api_body(err: AppError) -> dict:
    """Returns the /api/v1 error body `{"code", "message", "fields"?}` (plus the error's extra keys)."""
    body = {"code": err.code, "message": err.message}
    if err.fields:
        body["fields"] = err.fields
    body.update(err.extra)
    return body


def ccadmin_body(err: AppError) -> dict:
    """Returns the commerce admin error body `{"errorCode", "message", "status", "fields"?}`."""
    body = {"errorCode": str(err.code), "message": err.message, "status": str(err.status)}
    if err.fields:
        body["fields"] = err.fields
    body.update(err.extra)
    return body


# RFC 6749 section 5.2 names the token endpoint's errors; 500 and 503 take the names of section 4.1.2.1.
# Statuses the RFC has no name for keep the error's own code (an RFC 6749 error is any ASCII code).
OAUTH_ERRORS = {400: "invalid_request", 401: "invalid_client", 413: "invalid_request", 415: "invalid_request",
                500: "server_error", 503: "temporarily_unavailable"}


def oauth_body(err: AppError) -> dict:
    """Returns the RFC 6749 error body `{"error", "error_description"}`."""
    return {"error": OAUTH_ERRORS.get(err.status, str(err.code)), "error_description": err.message}


API = surfaces.Surface("/api/v1/", api_body)
STYLES = {"api": api_body, "ccadmin": ccadmin_body}


def render_error(request, err: AppError, *, style: str | None = None) -> Response:
    """Returns `err` in the shape of the request's surface (or of `style`, "api" or "ccadmin")."""
    if style is not None:
        body = STYLES[style](err)
    else:
        surface = surfaces.for_request(request) if request is not None else None
        body = (surface or API).body(err)
    response = Response(body, status=err.status)
    retry_after = getattr(err, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(int(retry_after))
    return response


def exception_handler(exc, context):
    err = _to_app_error(exc)
    if err is None:
        return None
    view = context.get("view")
    request = context.get("request")
    custom = getattr(view, "render_app_error", None)
    response = custom(request, err) if custom is not None else render_error(request, err)
    if request is not None:
        # Errors are JSON whatever the client accepts (the browsable API would render an HTML page).
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
    if err.status == status.HTTP_401_UNAUTHORIZED and request is not None and view is not None:
        header = view.get_authenticate_header(request)
        if header:
            response["WWW-Authenticate"] = header
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)) and view is not None:
        # DRF answers 403 when no authenticator offers a challenge; we always have one.
        response.status_code = status.HTTP_401_UNAUTHORIZED
    if isinstance(err, Throttled) or getattr(err, "retry_after", None):
        response["Retry-After"] = str(int(err.retry_after))
    return response
