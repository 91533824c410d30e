"""Stable error codes of loyalty: transactions, points, behavioral events (answered by the till API as
4100, 4104, 4109 or 4120, with these codes behind them)."""

from enum import nonmember

from accessadmin.errors import ErrorCode, NumericErrorCode


class LoyaltyErrorCode(ErrorCode):
    surfaces = nonmember(("/v2",))

    INVALID_CUSTOMER = "invalid_customer", 400, "customer_id must be a whole number in range."
    CUSTOMER_NOT_FOUND = "customer_not_found", 404, "No customer of the caller's organization has this id."
    BILL_NUMBER_REQUIRED = "bill_number_required", 400, "A transaction needs a bill number."
    INVALID_BILL_NUMBER = "invalid_bill_number", 400, "The bill number is not text or longer than its column."
    INVALID_AMOUNT = "invalid_amount", 400, "The amount must be a positive number within the column's digits."
    INVALID_POINTS = "invalid_points", 400, "points must be a positive whole number within the points limit."
    INSUFFICIENT_POINTS = "insufficient_points", 409, "The balance is lower than the points to redeem (balance)."
    POINTS_BALANCE_LIMIT = "points_balance_limit", 409, "The balance cannot hold that many points (balance)."
    INVALID_DESCRIPTION = "invalid_description", 400, "The description is not text or longer than the limit."
    INVALID_ATTRIBUTES = "invalid_attributes", 400, "attributes must be a list of names (definitions) or an object."
    UNKNOWN_ATTRIBUTES = "unknown_attributes", 400, "An event carries attributes its definition does not name."
    DUPLICATE_NAME = "duplicate_name", 409, "The organization has a behavioral event of this name."
    INVALID_EVENT = "invalid_event", 400, "event must name a behavioral event (text)."
    EVENT_NOT_FOUND = "event_not_found", 404, "The organization has no behavioral event of this name."


class GroupErrorCode(ErrorCode):
    """Group loyalty (user groups, the group program, group wallets): the till API's /v2/userGroup2 (the string
    code beside the number of its error body), the Admin API and the pages."""

    surfaces = nonmember(("/v2", "/api/v1", "pages"))

    GROUP_LOYALTY_DISABLED = "group_loyalty_disabled", 400, "The organization has group loyalty switched off."
    GROUP_NOT_FOUND = "group_not_found", 404, "No user group of the caller's organization has this id."
    INVALID_GROUP_ID = "invalid_group_id", 400, "A group id must be a whole number in range."
    GROUP_ID_REQUIRED = "group_id_required", 400, "Name the group: id, externalId (or primaryUserId for a read)."
    DUPLICATE_EXTERNAL_ID = "duplicate_external_id", 409, "The organization has a group with this externalId."
    DUPLICATE_GROUP_NAME = "duplicate_group_name", 409, "The organization has a group of this name (any case)."
    INVALID_EXTERNAL_ID = "invalid_external_id", 400, "externalId is required: text of 1 to 50 characters."
    INVALID_GROUP_NAME = "invalid_group_name", 400, "groupName must be text of at most 50 characters."
    INVALID_EXTENDED_FIELDS = "invalid_extended_fields", 400, "extendedFields must be a JSON object."
    INVALID_GROUP_TYPE = "invalid_group_type", 400, "groupType must be FAMILY or COMPANY."
    INVALID_GROUP_SIZE = "invalid_group_size", 400, \
        "maxGroupSize must be from 1 (and the current member count) to the organization's cap."
    INVALID_PARENT = "invalid_parent", 400, "parentGroupId names no company of the org, or makes a cycle."
    GROUP_INACTIVE = "group_inactive", 409, "The group is inactive: its primary member has left."
    UNKNOWN_CUSTOMER = "unknown_customer", 400, "No customer of the organization has this id or identifier."
    NOT_A_MEMBER = "not_a_member", 400, "The customer is not a current member of the group."
    REDEMPTION_NOT_ALLOWED = "group_redemption_not_allowed", 400, \
        "The member's permissions do not allow redeeming the group's points."
    INVALID_IDENTIFIER = "invalid_identifier", 400, "identifierName must be mobile, email, externalId or id."
    INVALID_TRACKER_TYPE = "invalid_tracker_type", 400, "type must be USERGROUP2 (and identifierType id)."
    INVALID_DATE = "invalid_date", 400, "A date filter is not YYYY-MM-DD."
    INVALID_FILTER = "invalid_filter", 400, "A filter of the group list has a value it does not know."
    INVALID_SLABS = "invalid_slabs", 400, \
        "slabs: ordered, first threshold 0, ascending thresholds, renewal ≤ threshold, unique names."
    INVALID_PROGRAM = "invalid_program", 400, "A group program setting is out of range or of the wrong type."
    PROGRAM_FORBIDDEN = "group_program_forbidden", 403, "Only administrators change the group program."


class GroupCode(NumericErrorCode):
    """The source platform's numeric codes of a join row's failure (/v2/userGroup2/join answers 200 with them
    per row, and counts the rows in failureCount)."""

    surfaces = nonmember(("/v2",))

    PRIMARY_EXISTS = 1637, 400, "The group already has its primary member (it never changes)."
    GROUP_FULL = 1638, 400, "Reached maximum group capacity."
    UNKNOWN_PERMISSION = 1641, 400, "A permission that is not allow_/block_points_redemption or _transfer."
    PRIMARY_ELSEWHERE = 1642, 400, "The customer is already the primary member of another group."
    DEFAULT_ELSEWHERE = 1643, 400, "The customer already has another default group."
