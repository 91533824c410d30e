"""Background work of the privacy app (Huey). Thin: call a service and return.

Idempotent: a request already completed is skipped, so a task run twice, or two consumers picking
up the same minute, change nothing the second time (the request's row lock serialises them).
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from accessadmin import audit

from . import services


@db_periodic_task(crontab(minute="*"))
@audit.task("privacy.execute_due_deletions")
def execute_due_deletions() -> None:
    """Every minute: executes the deletion requests that have fallen due (and retries failed ones)."""
    services.execute_due()


@db_task(retries=3, retry_delay=60)
@audit.task("privacy.execute_deletion")
def execute_deletion(request_id: int) -> None:
    """Executes one request now if it is due (used when a request falls due at once: waiting period 0)."""
    services.request_execute(request_id=request_id)
