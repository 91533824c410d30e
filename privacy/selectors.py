"""Reads of the privacy app: settings and deletion requests, scoped to one org."""

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet

from accessadmin.errors import NotFound
from accessadmin.models import AuditEvent, Org
from accessadmin.tenancy import scope
from shopperdata import selectors as profiles

from . import policies
from .errors import Code
from .models import OPEN_STATUSES, DeletionRequest, PrivacySettings, Status


def settings_get(*, org: Org) -> PrivacySettings:
    """Returns `org`'s privacy settings (the defaults, unsaved, when the org never changed them)."""
    return PrivacySettings.objects.filter(org=org).first() or PrivacySettings(org=org)


def request_list(*, actor, org: Org, status: str | None = None, created_from: datetime | None = None,
                 created_to: datetime | None = None, customer_id: int | None = None) -> QuerySet:
    """Returns the requests `actor` may see in `org`, newest first, filtered (one query; no joins needed)."""
    qs = policies.visible(DeletionRequest.objects.all(), actor=actor, org=org)
    if status:
        qs = qs.filter(status=status)
    if created_from is not None:
        qs = qs.filter(created_at__gte=created_from)
    if created_to is not None:
        qs = qs.filter(created_at__lt=created_to)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("-created_at", "-id")


def request_get(*, actor, org: Org, request_id) -> DeletionRequest:
    """Returns the request; NotFound request_not_found when missing, another org's, or not visible."""
    try:
        request_id = int(request_id)
    except (TypeError, ValueError):
        request_id = None
    found = request_list(actor=actor, org=org).filter(pk=request_id).first() if request_id else None
    if found is None:
        raise NotFound("No such deletion request.", code=Code.REQUEST_NOT_FOUND)
    return found


def open_request_for(*, customer_id: int) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(customer_id=customer_id, status__in=OPEN_STATUSES).first()


def customer_requests(*, org: Org, customer_id: int) -> list[DeletionRequest]:
    """Returns every request of the customer, newest first (the profile page's status and history)."""
    return list(DeletionRequest.objects.filter(org=org, customer_id=customer_id).order_by("-created_at", "-id"))


def request_history(*, org: Org, request: DeletionRequest) -> QuerySet:
    return scope(AuditEvent.objects.all(), org).filter(target_type="privacy.deletionrequest",
                                                       target_id=str(request.pk)).order_by("created_at", "id")


def due_request_ids(*, now: datetime, limit: int, max_attempts: int) -> list[int]:
    """Returns ids of requests due by `now` (APPROVED, or FAILED and still retried), oldest due first."""
    return list(DeletionRequest.objects.filter(status__in=(Status.APPROVED, Status.FAILED), due_at__lte=now,
                                               attempts__lt=max_attempts)
                .order_by("due_at", "id").values_list("id", flat=True)[:limit])


def customer_for_request(*, org: Org, customer_id):
    """Returns `org`'s customer `customer_id` for the request page; 404 when missing or another org's."""
    return profiles.profile_get(org=org, pk=customer_id)


def erasure_preview(*, org: Org, customer) -> list[tuple[str, str]]:
    """Returns (property id, label) of what executing a request would erase from `customer` now: each
    personal-data property and identifier holding a value. Labels only: the page shows no values."""
    labels = {p.code: p.label for p in profiles.property_list(org=org)}
    labels.update({"externalId": "External id"})
    return [(code, labels.get(code, code)) for code in profiles.profile_pii_present(profile=customer)]


CSV_COLUMNS = ["id", "customerId", "status", "source", "identifierType", "raisedBy", "createdAt", "decidedBy",
               "decidedAt", "reason", "dueAt", "completedAt", "failureReason", "comments"]


def _cell(value) -> str:
    text = "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))
    # A spreadsheet runs a cell starting with these as a formula.
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def request_csv_lines(queryset: QuerySet) -> Iterator[str]:
    """Yields the CSV of the requests of `queryset` (CSV_COLUMNS), reading them in chunks.

    No personal values: a request holds the customer id, never the identifier it was raised with."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for r in queryset.iterator(chunk_size=500):
        writer.writerow([_cell(v) for v in (
            r.pk, r.customer_id, r.status, r.source, r.identifier_type, r.raised_by_repr, r.created_at,
            r.decided_by_repr, r.decided_at, r.reason, r.due_at, r.completed_at, r.failure_reason, r.comments)])
        yield flush()
