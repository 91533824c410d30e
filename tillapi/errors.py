"""Stable error codes of the till API's own input (answered as 4100 and 4104, with these codes behind)."""

from enum import nonmember

from accessadmin.errors import ErrorCode


class TillApiErrorCode(ErrorCode):
    surfaces = nonmember(("/v2",))

    IDENTIFIER_REQUIRED = "identifier_required", 400, "A customer needs a mobile number or an email address."
    NO_FIELDS = "no_fields", 400, "An update gives none of email, mobile, first_name, last_name."
    CUSTOMER_NOT_FOUND = "customer_not_found", 404, "No customer of the caller's organization has this id."
    INVALID_CUSTOMER_ID = "invalid_customer_id", 400, "customer_id (a query parameter) must be a whole number."
    ONE_REQUEST_ONLY = "one_request_only", 400, "A PUT of /v2/requests carries a list of exactly one item."
