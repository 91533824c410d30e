"""Stable error codes of catalogs, price groups and security criteria (the `errorCode` of /ccadmin/v1)."""

from enum import nonmember

from accessadmin.errors import ErrorCode


class CriteriaErrorCode(ErrorCode):
    surfaces = nonmember(("/ccadmin/v1", "pages"))

    INVALID = "22064", 400, "Invalid input: the commerce platform's one code for any bad input here."
    IN_USE = "22084", 409, "A security criterion still on a role cannot be deleted; remove it from them first."
    DUPLICATE_ID = "duplicate_id", 409, "A catalog, price group or security criterion with this id exists."
    UNKNOWN_SECURITY_CRITERION = "unknown_security_criterion", 400, "A role names a criterion the org lacks."
    INVALID_ACTION = "invalid_action", 400, "action must be create, update or delete (the explainer)."
    SECURITY_CRITERIA_DENIED = ("security_criteria_denied", 403,
                                "The user's security criteria refuse this change of this item.")
