"""Who may do what in Connect+. Every yes/no of the app is answered here.

Connect+ objects are the org's: a user holding `connectPrivilege` (or
Administrator, which covers every privilege) sees and changes all of its org's
connections, keys, dataflows and runs; nobody sees another org's (404).
"""

from accessadmin.errors import InvalidInput
from accessadmin.policies import has_privilege
from accessadmin.privileges import Privilege

from .errors import ConnectErrorCode


def can_use_connect(user) -> bool:
    """Returns True when `user` may see and change Connect+ objects of the org they act in."""
    return has_privilege(user, Privilege.CONNECT)


def visible(queryset, *, actor, org, field: str = "org"):
    """Returns the rows of `queryset` that `actor` may see in `org`: all of the org's, or none."""
    if org is None or not can_use_connect(actor):
        return queryset.none()
    if actor.org_id is not None and actor.org_id != org.pk:
        return queryset.none()
    return queryset.filter(**{field: org})


def check_decrypt_key(key) -> None:
    """Raises unless `key` can decrypt: only a key uploaded with its private part can."""
    if not key.can_decrypt:
        raise InvalidInput(f"{key.name} has no private key, so it cannot decrypt.",
                           code=ConnectErrorCode.KEY_CANNOT_DECRYPT,
                           fields={"decrypt.key": ["Choose a key uploaded with its private part."]})


def check_encrypt_key(key) -> None:
    """Raises unless `key` may encrypt now: an encryption subkey, not revoked, not expired."""
    field = "encrypt.key"
    if key.revoked:
        raise InvalidInput(f"{key.name} is revoked.",
                           code=ConnectErrorCode.KEY_REVOKED, fields={field: ["This key is revoked."]})
    if key.is_expired:
        raise InvalidInput(f"{key.name} expired on {key.expires_at:%Y-%m-%d}.", code=ConnectErrorCode.KEY_EXPIRED,
                           fields={field: ["This key has expired."]})
    if not key.can_encrypt:
        raise InvalidInput(f"{key.name} cannot encrypt.", code=ConnectErrorCode.KEY_CANNOT_ENCRYPT,
                           fields={field: ["This key has no encryption capability."]})
