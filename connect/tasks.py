"""Background work of Connect+ (Huey). Thin: take ids, call a service, return.

Every task is idempotent: a run enqueued twice, or picked up again after its
consumer died, runs once (services.run_execute takes the dataflow's lock and
leaves finished runs alone).
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from accessadmin import audit

from . import services

BUSY_RETRY_SECONDS = 15


@db_task(retries=3, retry_delay=30)
@audit.task("connect.run_dataflow")
def run_dataflow(run_id: int) -> None:
    """Runs one queued dataflow run; while another run of the dataflow holds its lock, tries again later.
    Audited as the task and the person who started the run (`started_by_id=`, see connect.queue)."""
    if services.run_execute(run_id=run_id) == "busy":
        run_dataflow.schedule((run_id,), {"started_by_id": audit.started_by_id()}, delay=BUSY_RETRY_SECONDS)


@db_periodic_task(crontab(minute="*"))
@audit.task("connect.schedule_dataflows")
def schedule_dataflows() -> None:
    """Every minute: queue the dataflows whose schedule is due and pick up runs a dead consumer left."""
    services.schedule_due()
    services.runs_recover()
