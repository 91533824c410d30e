"""Stable error codes of the privacy app (PII deletion)."""

from enum import nonmember

from accessadmin.errors import ErrorCode


class PrivacyErrorCode(ErrorCode):
    surfaces = nonmember(("/api/v1",))

    DELETION_DISABLED = "deletion_disabled", 400, "PII deletion is switched off for the organization."
    CUSTOMER_NOT_FOUND = "customer_not_found", 400, "No customer of the organization matches the identifier."
    REQUEST_NOT_FOUND = "request_not_found", 404, "No deletion request of the organization has this id."
    INVALID_IDENTIFIER_TYPE = "invalid_identifier_type", 400, "The identifier type is not one the request takes."
    IDENTIFIER_REQUIRED = "identifier_required", 400, "A deletion request needs the customer's identifier."
    CUSTOMER_DELETED = "customer_deleted", 400, "The customer's personal data is deleted already."
    INVALID_WAITING_PERIOD = "invalid_waiting_period", 400, "The waiting period is not a whole number of days in range."
    INVALID_TRANSITION = "invalid_transition", 409, "The request's status does not allow this step."
    OWN_REQUEST = "own_request", 403, "Nobody approves or rejects a request they raised."
    REASON_REQUIRED = "reason_required", 400, "A rejection needs a reason."
    COMMENTS_TOO_LONG = "comments_too_long", 400, "The comments are longer than the limit."
    SETTINGS_FORBIDDEN = "privacy_settings_forbidden", 403, "Only administrators change the privacy settings."
    DELETION_FORBIDDEN = "pii_deletion_forbidden", 403, "Raising deletion requests needs the PII deletion privilege."
    APPROVAL_FORBIDDEN = "pii_approval_forbidden", 403, "Approving deletion requests needs the PII approval privilege."
    INVALID_CSV = "invalid_csv", 400, "The uploaded file is not a CSV of identifiers."
    TOO_MANY_ROWS = "too_many_rows", 400, "The uploaded file has more rows than the limit."
    INVALID_DATE = "invalid_date", 400, "A date filter is not YYYY-MM-DD."
    INVALID_CUSTOMER_FILTER = "invalid_customer_filter", 400, "The customer filter is not a customer id."
    INVALID_STATUS = "invalid_status", 400, "A status filter is not a status of deletion requests."
    INVALID_BOOLEAN = "invalid_boolean", 400, "A setting must be true or false."
    PROFILE_LOCKED = "profile_locked", 409, "Another change held the customer's profile; the deletion is retried."
    FILE_REQUIRED = "file_required", 400, "A bulk request uploads a CSV file as `file`."


Code = PrivacyErrorCode  # the short name the app's modules use
