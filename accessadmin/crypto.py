"""Secrets at rest: Fernet tokens made with the keys of `FIELD_ENCRYPTION_KEYS`.

The first key encrypts; every key decrypts (cryptography's MultiFernet), so keys
rotate without downtime: put a new key first, run `manage.py rotate_field_keys`
(re-encrypts every registered column with the first key), then drop the old key.

Apps tell the core which columns hold tokens with `register()` in their
`AppConfig.ready()`; the core never imports them. Plaintext never leaves this
module except as the return value of `decrypt()`: no logging, no repr.
"""

from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_cache: dict[tuple[str, ...], MultiFernet] = {}


class SecretUnreadable(Exception):
    """A stored token that none of the configured keys opens (a key was dropped too early)."""


def _fernet() -> MultiFernet:
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS or ())
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DJANGO_DEBUG=0 "
                                   "(comma-separated keys from `Fernet.generate_key()`).")
    if keys not in _cache:
        try:
            _cache[keys] = MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])
        except (ValueError, TypeError):
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key "
                                       "(32 url-safe base64-encoded bytes).") from None
    return _cache[keys]


def encrypt(plaintext: str) -> str:
    """Returns a token for `plaintext` made with the first key; an empty secret stays empty."""
    if not plaintext:
        return ""
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """Returns the plaintext of `token` ("" for an empty one); SecretUnreadable when no key opens it."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("A stored secret cannot be decrypted with FIELD_ENCRYPTION_KEYS.") from None


def rotate(token: str) -> str:
    """Returns `token` re-encrypted with the first key (the same token when it already is)."""
    if not token:
        return ""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("A stored secret cannot be decrypted with FIELD_ENCRYPTION_KEYS.") from None


@dataclass(frozen=True)
class EncryptedColumns:
    model: type
    fields: tuple[str, ...]


_registry: list[EncryptedColumns] = []


def register(model: type, *fields: str) -> None:
    """Declares that `fields` of `model` hold tokens of this module (for key rotation)."""
    entry = EncryptedColumns(model, tuple(fields))
    if entry not in _registry:
        _registry.append(entry)


def registered() -> list[EncryptedColumns]:
    """Returns every registered model and its token columns."""
    return list(_registry)
