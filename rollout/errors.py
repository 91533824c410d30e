"""Stable error codes of rollout plans (the `code` of /api/v1/rollout/ answers and the pages' messages)."""

from enum import nonmember

from accessadmin.errors import ErrorCode


class RolloutErrorCode(ErrorCode):
    surfaces = nonmember(("/api/v1", "pages"))

    INVALID_PLAN_DAYS = "invalid_plan_days", 400, "days must be a whole number from 1 to 90."
    PLAN_STALE = ("plan_stale", 409,
                  "The allocation changed after the plan was made (apply) or applied (undo): make a new plan.")
    PLAN_NOT_DRAFT = "plan_not_draft", 409, "Only a plan that was not applied yet can be applied or renamed."
    PLAN_NOT_APPLIED = "plan_not_applied", 409, "Only an applied plan can be undone (once)."
    PROPOSAL_EXISTS = ("proposal_exists", 409,
                       "The proposed group exists already (built-in or the org's own): rename it on its page.")
    PROPOSAL_NOT_FOUND = "proposal_not_found", 404, "The plan has no proposed group with this key."
    INVALID_FILTER = "invalid_plan_filter", 400, "group (a proposed group's key) or kind (store, client) is not valid."
    PROPOSED_NAME_TAKEN = ("proposed_name_taken", 409,
                           "An access group (or another proposed group) has this name, ignoring case: rename it.")
