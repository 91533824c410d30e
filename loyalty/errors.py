"""Stable error codes of loyalty: transactions, points, behavioral events (answered by the till API as
4100, 4104, 4109 or 4120, with these codes behind them)."""

from enum import nonmember

from accessadmin.errors import ErrorCode


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
