"""Password login shared by the login page and POST /ccadmin/v1/login."""

from django.conf import settings
from django.contrib.auth import authenticate

from .errors import AppError, Throttled
from .throttling import FailureThrottle, client_address


class InvalidCredentials(AppError):
    status = 401
    code = "invalid_credentials"
    # The same words whether or not the username exists: no user enumeration.
    message = "Invalid username or password."


def _throttle() -> FailureThrottle:
    return FailureThrottle("login", limit=settings.LOGIN_FAILURE_LIMIT,
                           window=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def authenticate_password(request, *, username: str, password: str):
    """Returns the active user for `username`/`password`.

    Raises Throttled after too many failures for this username or this client
    address, InvalidCredentials otherwise. An unknown username costs the same
    password hash as a known one (Django's ModelBackend hashes anyway).
    """
    throttle = _throttle()
    keys = {"user": (username or "").strip().lower(), "ip": client_address(request)}
    wait = throttle.retry_after(keys)
    if wait:
        raise Throttled(wait)
    user = authenticate(request, username=username, password=password) if username and password else None
    if user is None:
        throttle.fail(keys)
        raise InvalidCredentials()
    throttle.reset("user", keys["user"])
    return user
