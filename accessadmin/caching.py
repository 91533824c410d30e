"""Responses that carry a secret shown once (a till secret, an API client secret, a bearer token) must
never be kept by a browser, its history or a proxy. One helper and one decorator say so everywhere."""

from functools import wraps


def no_store(response):
    """Returns `response` marked `Cache-Control: no-store` (RFC 9111; RFC 6749 §5.1 asks it of token
    responses) and `Pragma: no-cache` for HTTP/1.0 caches."""
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


def never_stored(view):
    """Decorates a view function or method whose answer carries a secret: its response gets no_store."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return no_store(view(*args, **kwargs))

    return wrapper
