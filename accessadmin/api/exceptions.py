"""The one DRF exception handler: every error leaves the API with a stable code.

`/api/v1/...` answers `{"code", "message", "fields"?}`; `/ccadmin/v1/...`
answers the commerce admin shape `{"errorCode", "message", "status"}`.
Views of other APIs (the till API) may set `error_format` on the view to
render their own shape from the same AppError.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from ..errors import AppError, Throttled

DRF_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.ParseError: "parse_error",
    exceptions.Throttled: "throttled",
    exceptions.ValidationError: "invalid",
}


def _to_app_error(exc) -> AppError | None:
    if isinstance(exc, AppError):
        return exc
    if isinstance(exc, Http404):
        return AppError("Not found.", code="not_found", status=404)
    if isinstance(exc, DjangoPermissionDenied):
        return AppError("You do not have permission to do this.", code="permission_denied", status=403)
    if isinstance(exc, exceptions.APIException):
        code = next((c for cls, c in DRF_CODES.items() if isinstance(exc, cls)), "error")
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


def render_error(request, err: AppError, *, style: str = "api") -> Response:
    if style == "ccadmin":
        body = {"errorCode": str(err.code), "message": err.message, "status": str(err.status)}
        if err.fields:
            body["fields"] = err.fields
    else:
        body = {"code": err.code, "message": err.message}
        if err.fields:
            body["fields"] = err.fields
    body.update(err.extra)
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
    if custom is not None:
        response = custom(request, err)
    else:
        path = request.path if request is not None else ""
        response = render_error(request, err, style="ccadmin" if path.startswith("/ccadmin/") else "api")
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
