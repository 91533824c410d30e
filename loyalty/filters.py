"""Filters of the group lists and the group ledger, shared by the pages and the Admin API: query parameters in,
selector keyword arguments out, InvalidInput naming the parameter when one is malformed."""

from datetime import date, datetime

from accessadmin import limits
from accessadmin.errors import InvalidInput

from .errors import GroupErrorCode
from .models import UserGroup


def _day(params, name: str) -> date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput(f"{name} must be a date (YYYY-MM-DD).", code=GroupErrorCode.INVALID_DATE,
                           fields={name: ["A date as YYYY-MM-DD."]}) from None


def _customer(params, name: str) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= limits.BIGINT_MAX:
        raise InvalidInput(f"{name} must be a customer id.", code=GroupErrorCode.UNKNOWN_CUSTOMER,
                           fields={name: ["A customer id (digits)."]})
    return int(raw)


def _choice(params, name: str, choices) -> str | None:
    raw = (params.get(name) or "").strip()
    if raw and raw not in choices:
        raise InvalidInput(f"{name} must be one of {', '.join(choices)}.", code=GroupErrorCode.INVALID_FILTER,
                           fields={name: [f"One of {', '.join(choices)}."]})
    return raw or None


def group_filters(params) -> dict:
    """Returns selectors.group_list keyword arguments: q (name, externalId, id or a primary member's identifier),
    status (ACTIVE, INACTIVE), group_type (FAMILY, COMPANY)."""
    return {"q": (params.get("q") or "").strip()[:200],
            "status": _choice(params, "status", UserGroup.Status.values),
            "group_type": _choice(params, "group_type", UserGroup.Type.values)}


def ledger_filters(params) -> dict:
    """Returns selectors.group_ledger / group_transactions keyword arguments: customer_id (a member),
    date_from and date_to (YYYY-MM-DD, both included)."""
    return {"customer_id": _customer(params, "customer_id"), "date_from": _day(params, "date_from"),
            "date_to": _day(params, "date_to")}
