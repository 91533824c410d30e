"""Whether the services a request needs answer (for /readyz); never raises."""

import logging
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def database_reachable() -> bool:
    """Returns whether the default database answers a query (connecting when needed)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("readiness: the database is unreachable", exc_info=True)
        return False
    return True


def cache_reachable() -> bool:
    """Returns whether the default cache stores a value and gives it back."""
    key, value = f"readyz:{uuid.uuid4().hex}", "1"
    try:
        cache.set(key, value, timeout=10)
        found = cache.get(key)
        cache.delete(key)
    except Exception:  # each backend raises its own errors (redis.ConnectionError, OSError...)
        logger.warning("readiness: the cache is unreachable", exc_info=True)
        return False
    return found == value
