"""Background work of loyalty (Huey). Thin: call a service and return.

Idempotent: a slab reviewed once is no longer expired, so a second run (or a second consumer) changes nothing.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from accessadmin import audit

from . import services


@db_periodic_task(crontab(minute="15", hour="0"))
@audit.task("loyalty.review_group_slabs")
def review_group_slabs() -> int:
    """Daily: renews or drops the slab of every group whose slab has expired."""
    return services.review_due_slabs()
