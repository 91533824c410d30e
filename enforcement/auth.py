"""Who is calling: a till (HTTP Basic) or an API client (OAuth2 bearer token).

Warm path: no query and no round trip. What a till code or a token checksum proves is loaded once (one
query: selectors.till_row / client_row) and kept per process in a warm.WarmCache, used while the org's
change counters (accessadmin.versions) are those read before the load; every write that can change a
decision bumps them (enforcement.invalidation), so the next request in every process loads again.

The first successful verification of a credential is remembered under its fingerprint together with the
stored hash it matched; later requests skip the slow hash only while the till's current stored hash (from
the warm entry) is that same hash. Rotation changes the stored hash (and bumps the counters), so every
process drops the verification on its next request. Verifications are shared between processes through
the cache, and kept per process too (validated the same way).
"""

import base64
import binascii
import hashlib
import time
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

from . import selectors, till_oauth, warm
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


def _load_till(code: str) -> warm.Loaded | None:
    """Returns what the warm path keeps for a till code: its stored hash and the caller it proves (or why it
    cannot call). One query (selectors.till_row)."""
    row = selectors.till_row(code)
    if row is None:
        return None
    (till_id, till_code, stored_hash, till_active, last_used, store_id, store_code, store_group_id,
     org_id, org_code, basic_enabled, mode, group_id, group_name, group_active, grants_all, group_version,
     catalogue_version) = row
    if not till_active:
        outcome = ("This till is deactivated.", EnforcementErrorCode.UNAUTHENTICATED)
    elif not basic_enabled:
        outcome = ("Basic authentication is turned off for this organization.",
                   EnforcementErrorCode.BASIC_AUTH_DISABLED)
    else:
        outcome = Caller(
            kind=TILL, pk=till_id, code=till_code, name=till_code, org_id=org_id, org_code=org_code,
            report_only=mode == Org.EnforcementMode.REPORT_ONLY, store_id=store_id, store_code=store_code,
            group_id=group_id, group_name=group_name or "",
            group_source="store" if store_group_id else "org_default",
            group_active=bool(group_active), grants_all=bool(grants_all),
            grants=selectors.group_grants(group_id, group_version) if group_id and not grants_all else frozenset(),
            catalogue_version=catalogue_version or "", org_cache={},
        )
    return warm.Loaded(org_id, (stored_hash, outcome), {"touch": _next_touch(last_used), "till_id": till_id})


_tills = warm.WarmCache(_load_till)


def authenticate_till(code: str, password: str, address: str) -> Caller:
    """Returns the till proven by (code, password); see the module docstring for the warm path."""
    loaded = _tills.get(code)
    fp = credentials.fingerprint(code, password)
    stored_hash = loaded.value[0] if loaded is not None else None
    if not _already_verified(fp, stored_hash):
        # The throttle comes after the proven credentials: a till whose secret any process has verified
        # is never locked out by somebody else guessing at the same till, from any address.
        _check_throttle(code, address)
        if loaded is None:
            global _DUMMY_HASH
            if _DUMMY_HASH is None:
                _DUMMY_HASH = credentials.hash_secret(hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest())
            credentials.verify(password, _DUMMY_HASH)
            raise _fail(code, address)
        if not credentials.verify(password, stored_hash):
            raise _fail(code, address)
        cache.set(_shared_key(fp), stored_hash, SHARED_TTL)
        _verified.put(fp, stored_hash)
    outcome = loaded.value[1]
    if not isinstance(outcome, Caller):
        raise Unauthenticated(outcome[0], code=outcome[1])
    state = loaded.state
    if time.monotonic() >= state["touch"]:
        state["touch"] = time.monotonic() + LAST_USED_RESOLUTION.total_seconds()
        _touch(state["till_id"])
    return outcome


def _next_touch(last_used) -> float:
    """Returns when (time.monotonic()) `last_used_at` is next due, from the row's last Basic use."""
    last = selectors.as_datetime(last_used)
    if last is None:
        return 0.0
    age = (timezone.now() - last).total_seconds()
    return time.monotonic() + LAST_USED_RESOLUTION.total_seconds() - age


def _touch(till_id: int) -> None:
    """Keeps `last_used_at` and `basic_last_used_at` (the till still uses Basic auth) to the minute: at most
    one write per till per minute and process, not one per request. An unreachable database only delays it."""
    now = timezone.now()
    try:
        Till.objects.filter(pk=till_id).update(last_used_at=now, basic_last_used_at=now)
    except DB_DOWN:
        pass


def _load_bearer(checksum: str) -> warm.Loaded | None:
    """Returns what the warm path keeps for a token: ("client" or "till", its expiry, and the caller or why it
    may not call). One query for an API client's token (selectors.client_row), two for a till's (then
    till_oauth.till_token_row); None for a token nobody has."""
    row = selectors.client_row(checksum)
    if row is None:
        till_row = till_oauth.till_token_row(checksum)
        if till_row is None:
            return None
        expires, outcome = till_oauth.token_outcome(till_row)
        return warm.Loaded(till_row[8], ("till", expires, outcome),
                           {"touch": _next_touch(till_row[4]), "till_id": till_row[1]})
    (expires, client_pk, client_id, name, active, org_id, org_code, mode,
     group_id, group_name, group_active, grants_all, group_version, catalogue_version) = row
    expires = selectors.as_datetime(expires)
    outcome = "Invalid or expired access token."
    if active and expires is not None:
        outcome = Caller(
            kind=CLIENT, pk=client_pk, code=client_id, name=name, org_id=org_id, org_code=org_code,
            report_only=mode == Org.EnforcementMode.REPORT_ONLY, store_id=None, store_code="",
            group_id=group_id, group_name=group_name, group_source="client", group_active=bool(group_active),
            grants_all=bool(grants_all),
            grants=selectors.group_grants(group_id, group_version) if not grants_all else frozenset(),
            catalogue_version=catalogue_version or "", org_cache={},
        )
    return warm.Loaded(org_id, ("client", expires.timestamp() if expires is not None else 0.0, outcome))


_bearers = warm.WarmCache(_load_bearer)


def authenticate_client(token: str) -> Caller:
    """Returns the API client (or the till, for a till's OAuth2 credentials) a live access token belongs to."""
    loaded = _bearers.get(hashlib.sha256(token.encode("utf-8")).hexdigest())
    if loaded is None:
        raise Unauthenticated("Invalid or expired access token.")
    kind, expires, outcome = loaded.value
    if expires <= time.time():
        raise Unauthenticated("Invalid or expired access token.")
    if not isinstance(outcome, Caller):
        raise Unauthenticated(outcome)
    if kind == "till":
        state = loaded.state
        if time.monotonic() >= state["touch"]:
            state["touch"] = time.monotonic() + LAST_USED_RESOLUTION.total_seconds()
            try:
                till_oauth.touch(state["till_id"])
            except DB_DOWN:
                pass
    return outcome


def forget_verifications() -> None:
    """Empties this process's verification and warm caches (tests; a rotation needs no call, see above)."""
    _verified.clear()
    _tills.clear()
    _bearers.clear()
