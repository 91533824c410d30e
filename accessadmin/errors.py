"""The project's error hierarchy and its error codes.

Each error carries a stable code and an HTTP status. Services raise these; one
DRF exception handler (accessadmin.api.exceptions) turns them into JSON and the
page views turn them into messages or form errors.

Every code is a member of one app's ErrorCode enum (CoreErrorCode here,
GroupsErrorCode in groups/errors.py, ...), never a string literal at the raise
site. A member carries the status it is answered with and what it means; the
apps register their enums (accessadmin.registry.register_error_codes) and
`manage.py error_reference` writes them all to docs/errors.md, which
/api/docs/errors serves.
"""

from enum import IntEnum, StrEnum, nonmember


class ErrorCode(StrEnum):
    """Base of every app's error codes. A member reads `NAME = "code", status, "what it means"`;
    `status` None means the code is answered with whatever status the failure has (generic codes).
    Subclasses set `surfaces` (a nonmember) to where their codes are answered."""

    surfaces = nonmember(("/api/v1", "pages"))

    def __new__(cls, value: str, status: int | None = 400, meaning: str = ""):
        member = str.__new__(cls, value)
        member._value_ = value
        member.status = status
        member.meaning = meaning
        return member


class NumericErrorCode(IntEnum):
    """Base of numeric error codes (the till API's bodies carry numbers): `NAME = 4000, status, "meaning"`."""

    surfaces = nonmember(("/v2", "/authz"))

    def __new__(cls, value: int, status: int | None = 400, meaning: str = ""):
        member = int.__new__(cls, value)
        member._value_ = value
        member.status = status
        member.meaning = meaning
        return member


class CoreErrorCode(ErrorCode):
    """Codes of the core (identity, roles, access rights, tokens) and of the API machinery every app shares."""

    surfaces = nonmember(("/api/v1", "/ccadmin/v1", "/oauth", "/v2", "/authz", "pages"))

    # generic, by HTTP status
    BAD_REQUEST = "bad_request", 400, "The request could not be processed."
    INVALID = "invalid", 400, "The input is not valid; `fields` names what is wrong."
    NOT_FOUND = "not_found", 404, "No such object, or not one of the caller's organization."
    FORBIDDEN = "forbidden", 403, "The caller may not do this."
    PERMISSION_DENIED = "permission_denied", 403, "The caller lacks the privilege this needs."
    CONFLICT = "conflict", 409, "The request conflicts with the current state."
    UNAVAILABLE = "unavailable", 503, "A service the request needs (the database) is unavailable; try again."
    THROTTLED = "throttled", 429, "Too many failed attempts or requests; Retry-After says when to try again."
    SERVER_ERROR = "server_error", 500, "The server could not complete the request (a bug, logged)."
    ERROR = "error", None, "A failure with no code of its own; the status says what kind."
    # the API machinery (authentication, parsing, input)
    NOT_AUTHENTICATED = "not_authenticated", 401, "No credentials were sent."
    AUTHENTICATION_FAILED = "authentication_failed", 401, "The credentials (a bearer token) are not valid."
    INVALID_CREDENTIALS = "invalid_credentials", 401, "Wrong username or password (the same words either way)."
    METHOD_NOT_ALLOWED = "method_not_allowed", 405, "The path does not answer this HTTP method."
    NOT_ACCEPTABLE = "not_acceptable", 406, "The Accept header asks for nothing the API can answer."
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", 415, "The body's content type is not JSON or a form."
    PAYLOAD_TOO_LARGE = "payload_too_large", 413, "The request body is larger than the limit."
    PARSE_ERROR = "parse_error", 400, "The body is not well-formed JSON or form data."
    TOO_DEEP = "too_deep", 400, "The JSON body is nested deeper than the limit."
    INVALID_CHARACTERS = "invalid_characters", 400, "Text holds a NUL character."
    UNKNOWN_FIELD = "unknown_field", 400, "The body has a key that names no field (the message names it)."
    INVALID_REQUEST = "invalid_request", 400, "A required part of the request is missing."
    INVALID_BODY = "invalid_body", 400, "The body is not a JSON object."
    INVALID_PAGING = "invalid_paging", 400, "offset or limit is not a whole number in range."
    ORG_REQUIRED = "org_required", 400, "Platform staff must choose an organization (X-Org header)."
    UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type", 400, "Login supports grant_type=password only."
    # identity, roles, access rights
    NAME_REQUIRED = "name_required", 400, "A name is required."
    NAME_TOO_LONG = "name_too_long", 400, "The name is longer than its limit."
    NAME_NOT_TEXT = "name_not_text", 400, "The name is not text."
    INVALID_ID = "invalid_id", 400, "An id must be 1–100 letters, digits, dots, dashes or underscores."
    INVALID_CODE = "invalid_code", 400, "An org code must be lowercase letters, digits and dashes."
    INVALID_USERNAME = "invalid_username", 400, "A username must be 1–150 letters, digits or @.+-_ characters."
    OUTSIDE_NAMESPACE = "outside_namespace", 400, "Login names (usernames, till codes) start with the org's code."
    WEAK_PASSWORD = "weak_password", 400, "The password fails the password rules (fields say which)."
    DUPLICATE_ID = "duplicate_id", 409, "A role or access right with this id exists."
    DUPLICATE_NAME = "duplicate_name", 409, "A role with this name exists (names compare ignoring case)."
    DUPLICATE_CODE = "duplicate_code", 409, "An organization with this code exists."
    DUPLICATE_USERNAME = "duplicate_username", 409, "The username is taken."
    UNKNOWN_ROLE = "unknown_role", 400, "A role id that the organization does not have."
    UNKNOWN_ACCESS_RIGHT = "unknown_access_right", 400, "An access right id that the organization does not have."
    BUILTIN_READONLY = "builtin_readonly", 403, "Built-in privileges cannot be changed."
    PRIVILEGE_READONLY = "privilege_readonly", 403, "Privileges are built in; brands create generic access rights."
    CANNOT_DEACTIVATE_SELF = "cannot_deactivate_self", 400, "A user cannot deactivate their own account."


class AppError(Exception):
    status = 400
    code = CoreErrorCode.BAD_REQUEST
    message = "The request could not be processed."

    def __init__(self, message: str | None = None, *, code: ErrorCode | None = None, status: int | None = None,
                 fields: dict | None = None, extra: dict | None = None):
        self.message = message or self.message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.fields = fields or {}
        self.extra = extra or {}
        super().__init__(self.message)


class InvalidInput(AppError):
    status = 400
    code = CoreErrorCode.INVALID
    message = "The input is not valid."


class NotFound(AppError):
    status = 404
    code = CoreErrorCode.NOT_FOUND
    message = "Not found."


class Forbidden(AppError):
    status = 403
    code = CoreErrorCode.FORBIDDEN
    message = "You do not have permission to do this."


class Conflict(AppError):
    status = 409
    code = CoreErrorCode.CONFLICT
    message = "The request conflicts with the current state."


class Unavailable(AppError):
    status = 503
    code = CoreErrorCode.UNAVAILABLE
    message = "The service is temporarily unavailable."


class Throttled(AppError):
    status = 429
    code = CoreErrorCode.THROTTLED
    message = "Too many failed attempts. Try again later."

    def __init__(self, retry_after: int, message: str | None = None):
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))
