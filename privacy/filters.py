"""Filters of the deletion request lists, shared by the pages and the Admin API."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accessadmin.errors import InvalidInput

from .errors import Code
from .models import Status


def _day(params, name: str):
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput(f"{name} must be a date (YYYY-MM-DD).", code=Code.INVALID_DATE,
                           fields={name: ["A date as YYYY-MM-DD."]}) from None
    return timezone.make_aware(datetime.combine(day, time.min))


def request_filters(params) -> dict:
    """Returns selectors.request_list keyword arguments from query parameters (status, created_from,
    created_to: the last day included, customer: a customer id); InvalidInput naming the parameter when
    one is malformed."""
    status = (params.get("status") or "").strip()
    if status and status not in Status.values:
        raise InvalidInput(f"status must be one of {', '.join(Status.values)}.", code=Code.INVALID_STATUS,
                           fields={"status": [f"One of {', '.join(Status.values)}."]})
    created_to = _day(params, "created_to")
    customer = (params.get("customer") or "").strip()
    if customer and not (customer.isascii() and customer.isdigit() and len(customer) <= 18):
        raise InvalidInput("customer must be a customer id.", code=Code.INVALID_CUSTOMER_FILTER,
                           fields={"customer": ["A customer id (digits)."]})
    return {"status": status or None, "created_from": _day(params, "created_from"),
            "created_to": created_to + timedelta(days=1) if created_to else None,
            "customer_id": int(customer) if customer else None}
