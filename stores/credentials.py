"""Till secrets: generating, hashing and checking them, and the fingerprint of a presented credential.

A till may send its secret or the lowercase hex MD5 of its secret (the source platform's convention).
We store one Django password hash of the MD5 form, so both verify against the same hash with one slow
hash at most. Generated secrets never look like an MD5 hex digest, so the two forms cannot be confused.
"""

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password

MD5_HEX = re.compile(r"^[0-9a-f]{32}$")


def md5_form(password: str) -> str:
    """Returns what the stored hash was made from: the password itself when it is already an MD5 hex."""
    if MD5_HEX.match(password):
        return password
    return hashlib.md5(password.encode("utf-8"), usedforsecurity=False).hexdigest()


def hash_secret(secret: str) -> str:
    """Returns the value to store for `secret` (slow: a full password hash)."""
    return make_password(md5_form(secret))


def verify(password: str, encoded: str) -> bool:
    """Returns True when `password` (secret or its MD5 hex) matches the stored hash (slow)."""
    return bool(encoded) and check_password(md5_form(password), encoded)


def new_secret() -> str:
    """Returns a fresh random secret, shown once to whoever creates or rotates a till."""
    while True:
        value = secrets.token_urlsafe(24)
        if not MD5_HEX.match(value):
            return value


_FINGERPRINT_KEY = hashlib.sha256(b"till-credential-fingerprint:" + settings.SECRET_KEY.encode()).digest()


def fingerprint(code: str, password: str) -> str:
    """Returns a keyed digest of the credential (the same for the secret and for its MD5 form).

    Used as a cache key only; keyed with the server secret so a leaked cache reveals nothing usable.
    """
    message = f"{code}\x00{md5_form(password)}".encode()
    return hmac.new(_FINGERPRINT_KEY, message, hashlib.sha256).hexdigest()
