"""Who is calling: a till (HTTP Basic) or an API client (OAuth2 bearer token).

Warm path of a till: one query (selectors.till_row) and a dictionary lookup. The first successful
verification of a credential is remembered under its fingerprint together with the stored hash it
matched; later requests skip the slow hash only while the till's *current* stored hash (read by this
request's query) is that same hash. Rotation changes the stored hash, so every process drops the
entry on its next request; deactivation and group changes are read from the same row. Entries are
shared between processes through the cache, and kept per process too (validated the same way).
"""

import base64
import binascii
import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from accessadmin.errors import Throttled
from accessadmin.models import Org
from accessadmin.throttling import FailureThrottle, Limit
from stores import credentials
from stores.models import Till

from . import selectors, till_oauth
from .caller import CLIENT, TILL, Caller
from .errors import AuthorizationUnavailable, EnforcementErrorCode, Unauthenticated

DB_DOWN = (OperationalError, InterfaceError)
LAST_USED_RESOLUTION = timedelta(seconds=60)
# A hash of nothing anyone knows: unknown tills cost the same slow hash as known ones.
_DUMMY_HASH = None

# Failures of unproven credentials count per (till, address) and per address. Not per till alone:
# whoever knows a till code could then keep the till itself out, from addresses of their own.
_FAILURES = Limit(getattr(settings, "TILL_AUTH_FAILURE_LIMIT", 10),
                  getattr(settings, "TILL_AUTH_FAILURE_WINDOW_SECONDS", 300))
throttle = FailureThrottle("till", {"till_addr": _FAILURES, "addr": _FAILURES})
_verified = selectors._Lru(20000)
SHARED_TTL = 3600


def _shared_key(fp: str) -> str:
    return f"tillauth:{fp}"


def parse_authorization(header: str) -> tuple[str, str, str] | None:
    """Returns ("basic", code, password) or ("bearer", token, "") for an Authorization header, else None."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    if scheme == "basic" and value:
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise Unauthenticated("Malformed Basic credentials.") from None
        code, sep, password = decoded.partition(":")
        if not sep or not code or not password:
            raise Unauthenticated("Malformed Basic credentials.")
        return "basic", code, password
    if scheme == "bearer" and value:
        return "bearer", value, ""
    return None


def authenticate(header: str, address: str) -> Caller | None:
    """Returns the caller an Authorization header proves, None when there is no header we understand.

    Raises Unauthenticated (401), Throttled (429) or AuthorizationUnavailable (503, database down).
    """
    parsed = parse_authorization(header)
    if parsed is None:
        return None
    try:
        if parsed[0] == "basic":
            return authenticate_till(parsed[1], parsed[2], address)
        return authenticate_client(parsed[1])
    except DB_DOWN:
        raise AuthorizationUnavailable() from None


def _throttle_keys(code: str, address: str) -> dict[str, str]:
    return {"till_addr": f"{code}\x00{address}", "addr": address}


def _check_throttle(code: str, address: str) -> None:
    wait = throttle.retry_after(_throttle_keys(code, address))
    if wait:
        raise Throttled(wait, "Too many failed attempts. Try again later.")


def _fail(code: str, address: str, message: str = "Invalid till code or secret."):
    throttle.fail(_throttle_keys(code, address))
    return Unauthenticated(message)


def _already_verified(fp: str, stored_hash: str | None) -> bool:
    """Returns True when this credential was proven against the till's current stored hash before,
    by this process (its LRU) or by any other (the shared cache entry)."""
    if stored_hash is None:
        return False
    if _verified.get(fp) == stored_hash:
        return True
    if cache.get(_shared_key(fp)) == stored_hash:
        _verified.put(fp, stored_hash)
        return True
    return False


def authenticate_till(code: str, password: str, address: str) -> Caller:
    """Returns the till proven by (code, password); see the module docstring for the warm path."""
    row = selectors.till_row(code)
    fp = credentials.fingerprint(code, password)
    stored_hash = row[2] if row is not None else None
    if not _already_verified(fp, stored_hash):
        # The throttle comes after the proven credentials: a till whose secret any process has verified
        # is never locked out by somebody else guessing at the same till, from any address.
        _check_throttle(code, address)
        if row is None:
            global _DUMMY_HASH
            if _DUMMY_HASH is None:
                _DUMMY_HASH = credentials.hash_secret(hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest())
            credentials.verify(password, _DUMMY_HASH)
            raise _fail(code, address)
        if not credentials.verify(password, stored_hash):
            raise _fail(code, address)
        cache.set(_shared_key(fp), stored_hash, SHARED_TTL)
        _verified.put(fp, stored_hash)
    (till_id, till_code, _hash, till_active, last_used, store_id, store_code, store_group_id,
     org_id, org_code, basic_enabled, mode, group_id, group_name, group_active, grants_all, group_version,
     catalogue_version) = row
    if not till_active:
        raise Unauthenticated("This till is deactivated.")
    if not basic_enabled:
        raise Unauthenticated("Basic authentication is turned off for this organization.",
                              code=EnforcementErrorCode.BASIC_AUTH_DISABLED)
    _touch(till_id, last_used)
    return Caller(
        kind=TILL, pk=till_id, code=till_code, name=till_code, org_id=org_id, org_code=org_code,
        report_only=mode == Org.EnforcementMode.REPORT_ONLY, store_id=store_id, store_code=store_code,
        group_id=group_id, group_name=group_name or "", group_source="store" if store_group_id else "org_default",
        group_active=bool(group_active), grants_all=bool(grants_all),
        grants=selectors.group_grants(group_id, group_version) if group_id and not grants_all else frozenset(),
        catalogue_version=catalogue_version or "",
    )


def _touch(till_id: int, last_used) -> None:
    """Keeps `last_used_at` and `basic_last_used_at` (the till still uses Basic auth) to the minute: at most
    one write per till per minute, not one per request. `last_used` is the row's basic_last_used_at."""
    now = timezone.now()
    last = selectors.as_datetime(last_used)
    if last is None or now - last > LAST_USED_RESOLUTION:
        Till.objects.filter(pk=till_id).update(last_used_at=now, basic_last_used_at=now)


def authenticate_client(token: str) -> Caller:
    """Returns the API client a live OAuth2 access token belongs to."""
    checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
    row = selectors.client_row(checksum)
    if row is None:
        # Not an API client's: perhaps a till's OAuth2 credentials (a second query only for those).
        return till_oauth.authenticate_till_token(checksum)
    (expires, client_pk, client_id, name, active, org_id, org_code, mode,
     group_id, group_name, group_active, grants_all, group_version, catalogue_version) = row
    if not active or expires is None or selectors.as_datetime(expires) <= timezone.now():
        raise Unauthenticated("Invalid or expired access token.")
    return Caller(
        kind=CLIENT, pk=client_pk, code=client_id, name=name, org_id=org_id, org_code=org_code,
        report_only=mode == Org.EnforcementMode.REPORT_ONLY, store_id=None, store_code="",
        group_id=group_id, group_name=group_name, group_source="client", group_active=bool(group_active),
        grants_all=bool(grants_all),
        grants=selectors.group_grants(group_id, group_version) if not grants_all else frozenset(),
        catalogue_version=catalogue_version or "",
    )


def forget_verifications() -> None:
    """Empties this process's verification cache (tests; a rotation needs no call, see above)."""
    _verified.clear()
