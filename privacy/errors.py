"""Stable error codes of the privacy app (PII deletion)."""

from enum import StrEnum


class Code(StrEnum):
    DELETION_DISABLED = "deletion_disabled"
    CUSTOMER_NOT_FOUND = "customer_not_found"
    REQUEST_NOT_FOUND = "request_not_found"
    INVALID_IDENTIFIER_TYPE = "invalid_identifier_type"
    IDENTIFIER_REQUIRED = "identifier_required"
    CUSTOMER_DELETED = "customer_deleted"
    INVALID_WAITING_PERIOD = "invalid_waiting_period"
    INVALID_TRANSITION = "invalid_transition"
    OWN_REQUEST = "own_request"
    REASON_REQUIRED = "reason_required"
    COMMENTS_TOO_LONG = "comments_too_long"
    SETTINGS_FORBIDDEN = "privacy_settings_forbidden"
    DELETION_FORBIDDEN = "pii_deletion_forbidden"
    APPROVAL_FORBIDDEN = "pii_approval_forbidden"
    INVALID_CSV = "invalid_csv"
    TOO_MANY_ROWS = "too_many_rows"
