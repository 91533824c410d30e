"""Cron schedules of dataflows: validation, next occurrence (croniter), words (cron-descriptor)."""

from datetime import datetime

from cron_descriptor import Options, get_description
from croniter import croniter


def is_valid(expression: str) -> bool:
    """Returns True for a five-field cron expression croniter can read."""
    expression = (expression or "").strip()
    return len(expression.split()) == 5 and croniter.is_valid(expression)


def next_after(expression: str, moment: datetime) -> datetime:
    """Returns the first time after `moment` (aware, UTC) that `expression` matches."""
    return croniter(expression, moment).get_next(datetime)


def describe(expression: str | None) -> str:
    """Returns the schedule in words ("Every 15 minutes"), "Manual only" without one, or the
    expression itself when it cannot be described."""
    if not expression:
        return "Manual only"
    options = Options()
    options.use_24hour_time_format = True
    try:
        return f"{get_description(expression, options)} (UTC)"
    except Exception:  # cron-descriptor raises its own types for odd but valid input; show the raw text
        return expression
