"""The project's error hierarchy. Each error carries a stable code and an HTTP status.

Services raise these; one DRF exception handler (accessadmin.api.exceptions)
turns them into JSON and the page views turn them into messages or form errors.
"""


class AppError(Exception):
    status = 400
    code = "bad_request"
    message = "The request could not be processed."

    def __init__(self, message: str | None = None, *, code: str | None = None, status: int | None = None,
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
    code = "invalid"
    message = "The input is not valid."


class NotFound(AppError):
    status = 404
    code = "not_found"
    message = "Not found."


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    message = "You do not have permission to do this."


class Conflict(AppError):
    status = 409
    code = "conflict"
    message = "The request conflicts with the current state."


class Unavailable(AppError):
    status = 503
    code = "unavailable"
    message = "The service is temporarily unavailable."


class Throttled(AppError):
    status = 429
    code = "throttled"
    message = "Too many failed attempts. Try again later."

    def __init__(self, retry_after: int, message: str | None = None):
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))
