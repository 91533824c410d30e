"""Counting failed attempts (logins, till credentials) in the shared cache.

A key is blocked once it has `limit` failures inside `window` seconds. The
counter lives in the default cache, which is Redis in production, so every
process sees the same count.
"""

import time

from django.core.cache import cache


class FailureThrottle:
    def __init__(self, prefix: str, *, limit: int, window: int):
        self.prefix = prefix
        self.limit = limit
        self.window = window

    def _key(self, kind: str, value: str) -> str:
        return f"throttle:{self.prefix}:{kind}:{value}"

    def retry_after(self, keys: dict[str, str]) -> int:
        """Returns seconds to wait when any of `keys` ({kind: value}) is blocked, else 0."""
        entries = cache.get_many([self._key(k, v) for k, v in keys.items() if v])
        now = time.time()
        waits = [int(started + self.window - now) + 1 for count, started in entries.values() if count >= self.limit]
        return max(waits, default=0)

    def fail(self, keys: dict[str, str]) -> None:
        """Counts one failure against every key. Not atomic across processes: a burst may
        slip a few attempts past the limit, which a throttle can afford."""
        now = time.time()
        for kind, value in keys.items():
            if not value:
                continue
            key = self._key(kind, value)
            count, started = cache.get(key, (0, now))
            if now - started > self.window:
                count, started = 0, now
            cache.set(key, (count + 1, started), self.window)

    def reset(self, kind: str, value: str) -> None:
        cache.delete(self._key(kind, value))


def client_address(request) -> str:
    """Returns the address the request came from (REMOTE_ADDR; set by the proxy in production)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
