"""Handing runs to the task queue.

The services queue a run through here once their transaction commits. The task that executes runs
(connect.tasks.run_dataflow, which calls the services) registers itself in ConnectConfig.ready(), so the
services never import the tasks that import them.
"""

from collections.abc import Callable

from django.db import transaction

_run_task: Callable[[int], object] | None = None


def register_run_task(task: Callable[[int], object]) -> None:
    global _run_task
    _run_task = task


def enqueue_run(run_id: int, *, started_by_id: int | None = None) -> None:
    """Queues run `run_id` when the caller's transaction commits (at once outside of one). The task's writes
    are audited as the task and as the person `started_by_id` (None: the schedule started it)."""
    task = _run_task
    if task is None:
        raise RuntimeError("No task runs dataflows: connect.tasks registers it in ConnectConfig.ready().")
    transaction.on_commit(lambda: task(run_id, started_by_id=started_by_id))
