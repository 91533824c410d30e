"""Counting failed attempts (logins, till credentials) in the shared cache, and the client address.

Each kind of key has its own Limit. The counters live in the default cache, which is Redis in
production, so every process sees the same count.
"""

import functools
import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Limit:
    """A key is blocked once it has `failures` failures inside `window` seconds.

    The block lasts until the window ends; with `cooldown`, only `cooldown` seconds after the latest
    failure instead. The short cool-down suits keys anybody can push over the limit on purpose (a
    username): the owner waits a minute, not the whole window, while a guesser still gets one try
    per cool-down.
    """

    failures: int
    window: int
    cooldown: int | None = None


class FailureThrottle:
    def __init__(self, prefix: str, limits: dict[str, Limit]):
        self.prefix = prefix
        self.limits = limits

    def _key(self, kind: str, value: str) -> str:
        # Hashed: the value may be any text a caller sent (a username), of any length.
        return f"throttle:{self.prefix}:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"

    def retry_after(self, keys: dict[str, str]) -> int:
        """Returns seconds to wait when any of `keys` ({kind: value}) is blocked, else 0."""
        names = {self._key(kind, value): kind for kind, value in keys.items() if value}
        entries = cache.get_many(list(names))
        now = time.time()
        waits = []
        for key, (count, started, latest) in entries.items():
            limit = self.limits[names[key]]
            if count < limit.failures:
                continue
            until = latest + limit.cooldown if limit.cooldown else started + limit.window
            if until > now:
                waits.append(int(until - now) + 1)
        return max(waits, default=0)

    def fail(self, keys: dict[str, str]) -> None:
        """Counts one failure against every key. Not atomic across processes: a burst may
        slip a few attempts past the limit, which a throttle can afford."""
        now = time.time()
        for kind, value in keys.items():
            if not value:
                continue
            limit = self.limits[kind]
            key = self._key(kind, value)
            count, started, _latest = cache.get(key, (0, now, now))
            if now - started > limit.window:
                count, started = 0, now
            cache.set(key, (count + 1, started, now), limit.window)

    def reset(self, kind: str, value: str) -> None:
        cache.delete(self._key(kind, value))


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as e:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {e}") from None


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    """Returns the address the request came from.

    The connection's address (REMOTE_ADDR), unless that is one of settings.TRUSTED_PROXIES: then the
    right-most X-Forwarded-For hop that is not a trusted proxy itself (every hop to its left was
    written by whoever sent the request), else X-Real-IP. Those headers from anybody else are ignored:
    a client could write any address there and so escape every per-address throttle.
    """
    peer = request.META.get("REMOTE_ADDR", "") or "unknown"
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(_address(peer), networks):
        return peer
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if not _trusted(address, networks):
            # Not an address at all: our proxy did not write this hop, so fall back to the proxy itself.
            return str(address) if address is not None else peer
    if hops:
        return str(_address(hops[0]))  # every hop is a trusted proxy: the first one made the request
    real_ip = _address(request.META.get("HTTP_X_REAL_IP", ""))
    return str(real_ip) if real_ip is not None else peer
