"""Writes of the privacy app: settings, deletion requests and their life, and their execution.

Every function is keyword-only, checks before it writes (an error changes nothing) and audits in
the same transaction. `actor` is a user (pages, Admin API: privileges checked) or a Principal with
no user (the till API's till or API client, a Connect+ dataflow: the caller's access group or
dataflow already decided). Time comes in as `now` so tests move it instead of waiting.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from accessadmin import audit
from accessadmin.errors import AppError, Conflict, Forbidden, InvalidInput
from accessadmin.models import Org
from shopperdata import selectors as profiles
from shopperdata import services as profile_services

from . import policies, selectors
from .errors import Code
from .models import (
    COMMENTS_MAX_LENGTH,
    OPEN_STATUSES,
    WAITING_PERIOD_MAX_DAYS,
    DeletionRequest,
    IdentifierType,
    PrivacySettings,
    Status,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # a FAILED request is retried by the periodic task until this many attempts
# How long an execution waits for the profile's row lock (PostgreSQL) before it fails and is retried later:
# the periodic task must not hang behind a long change of one profile.
LOCK_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class Principal:
    """Who raises or decides a request: `key` is compared for maker-checker, `label` is shown."""

    key: str
    label: str
    user: object = None


def principal(actor) -> Principal:
    """Returns `actor` (a user, or already a Principal) as a Principal."""
    if isinstance(actor, Principal):
        return actor
    return Principal(key=f"user:{actor.pk}", label=actor.username, user=actor)


# --- settings -----------------------------------------------------------------------------------------------

SETTINGS_FIELDS = ("deletion_enabled", "waiting_period_days", "approval_required")


def _settings_state(s: PrivacySettings) -> dict:
    return {name: getattr(s, name) for name in SETTINGS_FIELDS}


@transaction.atomic
def settings_update(*, actor, org: Org, changes: dict) -> PrivacySettings:
    """Returns `org`'s privacy settings with `changes` applied (any of SETTINGS_FIELDS). Administrators only."""
    if not policies.can_manage_settings(actor):
        raise Forbidden("Only administrators change the privacy settings.", code=Code.SETTINGS_FORBIDDEN)
    current, _ = PrivacySettings.objects.select_for_update().get_or_create(org=org)
    before = _settings_state(current)
    for name in ("deletion_enabled", "approval_required"):
        if name in changes:
            if not isinstance(changes[name], bool):
                raise InvalidInput(f"{name} must be true or false.", code=Code.INVALID_BOOLEAN,
                                   fields={name: ["Must be true or false."]})
            setattr(current, name, changes[name])
    if "waiting_period_days" in changes:
        days = changes["waiting_period_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= WAITING_PERIOD_MAX_DAYS:
            message = f"A whole number of days from 0 to {WAITING_PERIOD_MAX_DAYS}."
            raise InvalidInput(f"waiting_period_days: {message}", code=Code.INVALID_WAITING_PERIOD,
                               fields={"waiting_period_days": [message]})
        current.waiting_period_days = days
    after = _settings_state(current)
    if after != before:
        current.save()
        audit.record(org=org, actor=actor, action="privacy.settings.update", target=current,
                     before={k: v for k, v in before.items() if after[k] != v},
                     after={k: v for k, v in after.items() if before[k] != v})
    return current


# --- raising requests ---------------------------------------------------------------------------------------

@dataclass
class Raised:
    request: DeletionRequest
    created: bool
    warnings: list = field(default_factory=list)


def _check_comments(comments) -> str:
    comments = "" if comments is None else str(comments)
    if len(comments) > COMMENTS_MAX_LENGTH:
        message = f"At most {COMMENTS_MAX_LENGTH} characters."
        raise InvalidInput(f"comments: {message}", code=Code.COMMENTS_TOO_LONG, fields={"comments": [message]})
    return comments


def _enabled_settings(org: Org, current: PrivacySettings | None = None) -> PrivacySettings:
    current = current if current is not None else selectors.settings_get(org=org)
    if not current.deletion_enabled:
        raise InvalidInput("PII deletion is not enabled for this organization.", code=Code.DELETION_DISABLED)
    return current


def resolve_customer(*, org: Org, identifier_type: str | None, identifier_value=None, customer_id=None):
    """Returns `org`'s customer named by an id or by identifier type and value.

    InvalidInput customer_not_found for a missing customer and another org's alike.
    """
    if customer_id is not None:
        identifier_type, identifier_value = IdentifierType.ID, customer_id
    if identifier_type not in IdentifierType.values:
        raise InvalidInput(f"identifierType must be one of {', '.join(IdentifierType.values)}.",
                           code=Code.INVALID_IDENTIFIER_TYPE,
                           fields={"identifierType": [f"One of {', '.join(IdentifierType.values)}."]})
    if identifier_value is None or str(identifier_value).strip() == "":
        raise InvalidInput("identifierValue is required.", code=Code.IDENTIFIER_REQUIRED,
                           fields={"identifierValue": ["This field is required."]})
    customer = profiles.profile_identify(org=org, identifier_type=identifier_type, value=identifier_value)
    if customer is None:
        raise InvalidInput("No such customer.", code=Code.CUSTOMER_NOT_FOUND,
                           fields={"identifierValue": ["No customer has this identifier."]})
    return customer


def _payload_for_audit(req: DeletionRequest) -> dict:
    return {"status": req.status, "customer_id": req.customer_id, "source": req.source,
            "due_at": req.due_at, "reason": req.reason}


def _warning_exists(req: DeletionRequest) -> dict:
    return {"code": "request_exists", "message": f"The customer already has an open deletion request "
                                                 f"({req.pk}, {req.status}); it is returned instead."}


@transaction.atomic
def request_raise(*, actor, org: Org, source: str, identifier_type: str | None = None, identifier_value=None,
                  customer_id=None, comments: str = "", now: datetime | None = None,
                  org_settings: PrivacySettings | None = None) -> Raised:
    """Returns the customer's new deletion request, or their open one (created False, with a warning).

    Starts PENDING_APPROVAL when the org requires approval, else APPROVED and due after the waiting
    period. Race-safe: the partial unique constraint on open requests lets one of two concurrent
    raises insert; the other returns the winner. `org_settings`: `org`'s settings when the caller
    read them already (a bulk file reads them once, not once per row).
    """
    who = principal(actor) if actor is not None else None
    if who is None:
        raise ValueError("request_raise needs an actor (a user or a Principal)")
    if who.user is not None and not policies.can_raise(who.user):
        raise Forbidden("You may not request the deletion of personal data.", code=Code.DELETION_FORBIDDEN)
    comments = _check_comments(comments)
    current = _enabled_settings(org, org_settings)
    customer = resolve_customer(org=org, identifier_type=identifier_type, identifier_value=identifier_value,
                                customer_id=customer_id)
    if customer.deleted_at is not None:
        raise InvalidInput("This customer's personal data has already been deleted.", code=Code.CUSTOMER_DELETED)
    existing = selectors.open_request_for(customer_id=customer.pk)
    if existing is not None:
        return Raised(request=existing, created=False, warnings=[_warning_exists(existing)])
    now = now or timezone.now()
    approved = not current.approval_required
    req = DeletionRequest(
        org=org, customer=customer, source=source,
        identifier_type=identifier_type if customer_id is None else IdentifierType.ID,
        comments=comments, raised_by=who.user, raised_by_key=who.key, raised_by_repr=who.label[:200],
        status=Status.APPROVED if approved else Status.PENDING_APPROVAL,
        due_at=now + timedelta(days=current.waiting_period_days) if approved else None, created_at=now)
    try:
        with transaction.atomic():
            req.save()
    except IntegrityError:
        existing = selectors.open_request_for(customer_id=customer.pk)
        if existing is None:
            raise
        return Raised(request=existing, created=False, warnings=[_warning_exists(existing)])
    profile_services.profile_set_deletion_pending(profile_id=customer.pk, pending=True)
    audit.record(org=org, actor=who.user, action="deletion_request.create", target=req,
                 after={**_payload_for_audit(req), "raised_by": who.label, "comments": comments})
    return Raised(request=req, created=True)


# --- deciding -----------------------------------------------------------------------------------------------

def _locked(org: Org, actor, request_id) -> DeletionRequest:
    req = selectors.request_get(actor=actor, org=org, request_id=request_id)
    return DeletionRequest.objects.select_for_update().get(pk=req.pk)


def _decide(*, org: Org, who: Principal, req: DeletionRequest, status: Status, reason: str, now: datetime):
    before = _payload_for_audit(req)
    req.status = status
    req.decided_by, req.decided_by_key, req.decided_by_repr = who.user, who.key, who.label[:200]
    req.decided_at = now
    req.reason = reason
    req.save()
    if status not in OPEN_STATUSES:
        profile_services.profile_set_deletion_pending(profile_id=req.customer_id, pending=False)
    audit.record(org=org, actor=who.user, action=f"deletion_request.{status.lower()}", target=req,
                 before=before, after={**_payload_for_audit(req), "decided_by": who.label})
    return req


@transaction.atomic
def request_approve(*, actor, org: Org, request_id, comments: str = "", now: datetime | None = None):
    """Returns the approved request, due at `now` + the org's waiting period.

    Takes a row lock on the request. Only PENDING_APPROVAL requests; never by whoever raised it.
    """
    who = principal(actor)
    if who.user is not None and not policies.can_approve(who.user):
        raise Forbidden("You may not approve deletion requests.", code=Code.APPROVAL_FORBIDDEN)
    comments = _check_comments(comments)
    req = _locked(org, who.user, request_id)
    if req.status != Status.PENDING_APPROVAL:
        raise Conflict(f"Only a request pending approval can be approved; this one is {req.status}.",
                       code=Code.INVALID_TRANSITION)
    if not policies.may_approve_own(req.raised_by_key, who.key):
        raise Forbidden("Nobody approves a request they raised.", code=Code.OWN_REQUEST)
    now = now or timezone.now()
    req.due_at = now + timedelta(days=selectors.settings_get(org=org).waiting_period_days)
    return _decide(org=org, who=who, req=req, status=Status.APPROVED, reason=comments, now=now)


@transaction.atomic
def request_reject(*, actor, org: Org, request_id, reason: str, now: datetime | None = None):
    """Returns the rejected request (PENDING_APPROVAL only; a reason is required). Row lock on the request."""
    who = principal(actor)
    if who.user is not None and not policies.can_approve(who.user):
        raise Forbidden("You may not reject deletion requests.", code=Code.APPROVAL_FORBIDDEN)
    reason = _check_comments(reason).strip()
    if not reason:
        raise InvalidInput("Give a reason for rejecting.", code=Code.REASON_REQUIRED,
                           fields={"reason": ["This field is required."]})
    req = _locked(org, who.user, request_id)
    if req.status != Status.PENDING_APPROVAL:
        raise Conflict(f"Only a request pending approval can be rejected; this one is {req.status}.",
                       code=Code.INVALID_TRANSITION)
    return _decide(org=org, who=who, req=req, status=Status.REJECTED, reason=reason, now=now or timezone.now())


@transaction.atomic
def request_cancel(*, actor, org: Org, request_id, comments: str = "", now: datetime | None = None):
    """Returns the cancelled request (any open one: not yet executed). Row lock on the request."""
    who = principal(actor)
    if who.user is not None and not policies.can_raise(who.user):
        raise Forbidden("You may not cancel deletion requests.", code=Code.DELETION_FORBIDDEN)
    comments = _check_comments(comments)
    req = _locked(org, who.user, request_id)
    if req.status not in OPEN_STATUSES:
        raise Conflict(f"Only an open request can be cancelled; this one is {req.status}.",
                       code=Code.INVALID_TRANSITION)
    return _decide(org=org, who=who, req=req, status=Status.CANCELLED, reason=comments, now=now or timezone.now())


@transaction.atomic
def request_retry(*, actor, org: Org, request_id, now: datetime | None = None):
    """Returns the FAILED request made due again at `now` with its attempts reset (the periodic task
    gives up after MAX_ATTEMPTS). Approvers only; the failure stays in the request's history."""
    who = principal(actor)
    if who.user is not None and not policies.can_approve(who.user):
        raise Forbidden("You may not retry deletion requests.", code=Code.APPROVAL_FORBIDDEN)
    req = _locked(org, who.user, request_id)
    if req.status != Status.FAILED:
        raise Conflict(f"Only a failed request can be retried; this one is {req.status}.",
                       code=Code.INVALID_TRANSITION)
    before = {**_payload_for_audit(req), "failure_reason": req.failure_reason, "attempts": req.attempts}
    req.status, req.due_at, req.attempts = Status.APPROVED, now or timezone.now(), 0
    req.save(update_fields=["status", "due_at", "attempts", "updated_at"])
    audit.record(org=org, actor=who.user, action="deletion_request.retry", target=req, before=before,
                 after={**_payload_for_audit(req), "retried_by": who.label})
    return req


# --- execution ----------------------------------------------------------------------------------------------

def request_execute(*, request_id: int, now: datetime | None = None,
                    org_settings: dict[int, PrivacySettings] | None = None) -> str:
    """Returns what happened to the request: "completed", "failed", "not_due" or "skipped".

    Idempotent: only an APPROVED (or FAILED, retried) request that is due runs; a completed one is
    skipped and nothing changes. The erasure and the request's completion commit together; a failure
    rolls the erasure back and records FAILED with its reason (the org's deletion switched off since
    approval is one). `org_settings`: a cache {org id: settings} shared by the requests of one batch.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            req = (DeletionRequest.objects.select_for_update(of=("self",)).select_related("org")
                   .filter(pk=request_id).first())
            if req is None or req.status not in (Status.APPROVED, Status.FAILED):
                return "skipped"
            if req.due_at is None or req.due_at > now:
                return "not_due"
            cache = {} if org_settings is None else org_settings
            if req.org_id not in cache:
                cache[req.org_id] = selectors.settings_get(org=req.org)
            if not cache[req.org_id].deletion_enabled:
                # Switched off after approval: nothing is erased; the request waits, FAILED with this
                # reason, and is retried (by the periodic task, or at once with request_retry).
                raise InvalidInput("PII deletion is switched off for the organization.", code=Code.DELETION_DISABLED)
            before = _payload_for_audit(req)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")
            erased = profile_services.profile_erase(profile_id=req.customer_id, now=now,
                                                    reference=f"deletion request {req.pk}")
            req.status, req.completed_at, req.failure_reason = Status.COMPLETED, now, ""
            req.attempts += 1
            req.save(update_fields=["status", "completed_at", "failure_reason", "attempts", "updated_at"])
            audit.record(org=req.org, actor=None, action="deletion_request.completed", target=req,
                         before=before, after={**_payload_for_audit(req), "erased": erased or []})
            return "completed"
    except Exception as exc:  # recorded on the request and retried; never swallowed silently
        if isinstance(exc, AppError):
            log.warning("deletion request %s failed: %s", request_id, exc.code)
            reason = f"{exc.code}: {exc.message}"
        elif isinstance(exc, OperationalError) and "lock timeout" in str(exc):
            log.warning("deletion request %s: the profile stayed locked", request_id)
            reason = f"{Code.PROFILE_LOCKED}: {Code.PROFILE_LOCKED.meaning}"
        else:
            log.exception("deletion request %s failed", request_id)
            reason = f"{type(exc).__name__}: {exc}"
        with transaction.atomic():
            req = DeletionRequest.objects.select_for_update().get(pk=request_id)
            req.status, req.failure_reason = Status.FAILED, reason[:500]
            req.attempts += 1
            req.save(update_fields=["status", "failure_reason", "attempts", "updated_at"])
            audit.record(org=req.org, actor=None, action="deletion_request.failed", target=req,
                         after={"status": req.status, "failure_reason": req.failure_reason, "attempts": req.attempts})
        return "failed"


def execute_due(*, now: datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Returns counts of what happened to each request due by `now` (at most `limit` of them)."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    org_settings: dict[int, PrivacySettings] = {}  # read once per org and batch
    for request_id in selectors.due_request_ids(now=now, limit=limit, max_attempts=MAX_ATTEMPTS):
        outcome = request_execute(request_id=request_id, now=now, org_settings=org_settings)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
