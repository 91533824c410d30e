"""One error path for the machine-facing APIs (every prefix registered in accessadmin.surfaces).

Under those prefixes every error leaves as JSON in the surface's shape, whichever layer made it and in
debug mode too:

- before anything else reads the request, a body over `DATA_UPLOAD_MAX_MEMORY_SIZE` is refused with 413
  and NUL characters in the path, the query string, a POSTed form or the user id of Basic credentials
  with 400 `invalid_characters`;
- an exception a view does not handle becomes the surface's 500 (503 when the database is unreachable),
  logged with its traceback and reported through `got_request_exception` like Django does;
- any other non-JSON error response (Django's 404 for unknown paths, a 405 of a plain view, a CSRF 403,
  the 400 of a disallowed host, an exception of a lower middleware) is replaced by its JSON equivalent.

It sits first in MIDDLEWARE so that it sees every response of the layers below.
"""

import base64
import binascii
import logging
import sys
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError

from .. import surfaces
from ..errors import AppError, CoreErrorCode, Unavailable
from .parsers import NUL, nul_error, without_nul

logger = logging.getLogger("django.request")

DATABASE_DOWN = (OperationalError, InterfaceError)

# Status → (code, message) of an error response some other layer made without a JSON body.
GENERIC = {
    400: (CoreErrorCode.BAD_REQUEST, "The request could not be processed."),
    401: (CoreErrorCode.NOT_AUTHENTICATED, "Authentication credentials were not provided."),
    403: (CoreErrorCode.PERMISSION_DENIED, "You do not have permission to do this."),
    404: (CoreErrorCode.NOT_FOUND, "Not found."),
    406: (CoreErrorCode.NOT_ACCEPTABLE, "Could not satisfy the request Accept header."),
    429: (CoreErrorCode.THROTTLED, "Too many requests. Try again later."),
    500: (CoreErrorCode.SERVER_ERROR, "The server could not complete the request."),
    503: (CoreErrorCode.UNAVAILABLE, Unavailable.message),
}
# Headers of the replaced response that the client still needs.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


def _is_json(response) -> bool:
    media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def too_large() -> AppError:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return AppError(f"The request body is larger than {limit} bytes.", code=CoreErrorCode.PAYLOAD_TOO_LARGE, status=413)


def status_error(request, status: int) -> AppError:
    """Returns the error a bare `status` response means, in words a client of any surface can use."""
    if status == 405:
        return AppError(f'Method "{request.method}" not allowed.', code=CoreErrorCode.METHOD_NOT_ALLOWED, status=405)
    if status == 413:
        return too_large()
    if status == 415:
        return AppError(f'Unsupported media type "{request.content_type}" in request.',
                        code=CoreErrorCode.UNSUPPORTED_MEDIA_TYPE, status=415)
    code, message = GENERIC.get(status, (CoreErrorCode.ERROR, "The request could not be processed."))
    return AppError(message, code=code, status=status)


def exception_error(request, exc: Exception, *, log: bool = True) -> AppError:
    """Returns the error an unhandled exception means; a bug (500) and an outage (503) are logged."""
    if isinstance(exc, AppError):
        return exc
    if isinstance(exc, Http404):
        return status_error(request, 404)
    if isinstance(exc, PermissionDenied):
        return status_error(request, 403)
    if isinstance(exc, RequestDataTooBig):
        return too_large()
    if isinstance(exc, (SuspiciousOperation, BadRequest, MultiPartParserError)):
        return status_error(request, 400)
    if isinstance(exc, DATABASE_DOWN):
        if log:
            logger.warning("Service Unavailable (database): %s", request.path, exc_info=exc)
        return Unavailable()
    if log:
        logger.error("Internal Server Error: %s", request.path, exc_info=exc)
    return status_error(request, 500)


def nul_in_basic_user_id(request) -> bool:
    """Returns whether the user id of HTTP Basic credentials (a till code, an OAuth2 client id) holds NUL.

    Servers refuse NUL in header values, but Basic credentials are base64 and may decode to one, raw or
    form-encoded (RFC 6749 section 2.3.1: the token endpoint percent-decodes the client id); the id
    then goes into a database query. Secrets are only ever hashed, so they are left alone.
    """
    scheme, _, value = request.META.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return False  # the authenticator answers malformed credentials itself
    user_id = decoded.partition(":")[0]
    return NUL in user_id or NUL in unquote_plus(user_id)


def refusal(request) -> AppError | None:
    """Returns the error of a request refused before any other layer reads it, else None."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        return too_large()
    if NUL in request.path_info or not without_nul(request.GET) or nul_in_basic_user_id(request):
        return nul_error()
    if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                             "multipart/form-data"):
        # Django's own views (the OAuth2 token endpoint) read these fields; DRF's parsers check the rest.
        try:
            if not without_nul(request.POST):
                return nul_error()
        except (SuspiciousOperation, MultiPartParserError) as exc:
            return exception_error(request, exc)
    return None


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        surface = surfaces.for_request(request)
        if surface is None:
            return self.get_response(request)
        err = refusal(request)
        if err is not None:
            return surfaces.error_response(surface, err)
        response = self.get_response(request)
        if response.status_code < 400 or _is_json(response):
            return response
        exc = getattr(request, "_api_unhandled_exception", None)
        if exc is not None:
            # Django has logged it already (a lower middleware raised it, or a view outside DRF's handler).
            err = exception_error(request, exc, log=False)
        else:
            err = status_error(request, response.status_code)
        replacement = surfaces.error_response(surface, err)
        for header in KEPT_HEADERS:
            if header in response and header not in replacement:
                replacement[header] = response[header]
        replacement.cookies = response.cookies
        return replacement

    def process_exception(self, request, exception):
        surface = surfaces.for_request(request)
        if surface is None:
            return None
        err = exception_error(request, exception)
        if err.status >= 500 and not isinstance(exception, DATABASE_DOWN):
            # What Django does for an exception it answers with a 500 (error trackers and the test client
            # listen); the answer itself stays ours.
            got_request_exception.send(sender=None, request=request)
        return surfaces.error_response(surface, err)


def _remember_exception(sender, request=None, **kwargs):
    """Keeps the exception a lower layer turned into a 500 page, so its replacement can tell an outage."""
    if request is not None:
        request._api_unhandled_exception = sys.exc_info()[1]


got_request_exception.connect(_remember_exception, dispatch_uid="accessadmin.api.middleware")
