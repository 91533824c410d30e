"""What a user holds: its access-right ids, read once per request."""

from .models import AccessRight

_CACHE_ATTR = "_accessadmin_access_rights"


def access_right_codes(user) -> frozenset[str]:
    """Returns the ids of every access right held through the user's roles.

    Kept on the user instance, which lives for one request, so a role change is
    seen by the next request; call `forget(user)` after changing roles in-process.
    """
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(
            AccessRight.objects.filter(roles__users=user).values_list("code", flat=True).distinct()
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    """Drops the access rights cached on `user`."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
