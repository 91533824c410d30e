"""Password login shared by the login page and POST /ccadmin/v1/login."""

from django.conf import settings
from django.contrib.auth import authenticate

from .errors import AppError, CoreErrorCode, Throttled
from .throttling import FailureThrottle, Limit, client_address


class InvalidCredentials(AppError):
    status = 401
    code = CoreErrorCode.INVALID_CREDENTIALS
    # The same words whether or not the username exists: no user enumeration.
    message = "Invalid username or password."


def _throttle() -> FailureThrottle:
    window = settings.LOGIN_WINDOW_SECONDS
    return FailureThrottle("login", {
        "user_addr": Limit(settings.LOGIN_LOCKOUT_LIMIT, window),
        "user": Limit(settings.LOGIN_USERNAME_LIMIT, window, cooldown=settings.LOGIN_USERNAME_COOLDOWN_SECONDS),
        "addr": Limit(settings.LOGIN_ADDRESS_LIMIT, window),
    })


def authenticate_password(request, *, username: str, password: str):
    """Returns the active user for `username`/`password`.

    Raises Throttled while this username is locked out from this address, cooling down after failures
    from many addresses, or this address has failed for too many usernames (settings.LOGIN_*);
    InvalidCredentials otherwise. An unknown username costs the same password hash as a known one
    (Django's ModelBackend hashes anyway).
    """
    throttle = _throttle()
    name, address = (username or "").strip().lower(), client_address(request)
    keys = {"user_addr": f"{name}\x00{address}", "user": name, "addr": address}
    wait = throttle.retry_after(keys)
    if wait:
        raise Throttled(wait)
    user = authenticate(request, username=username, password=password) if username and password else None
    if user is None:
        throttle.fail(keys)
        raise InvalidCredentials()
    # Only the lockout of this user at this address: a success here must not reset a guesser's budget
    # for the username or the address.
    throttle.reset("user_addr", keys["user_addr"])
    return user
