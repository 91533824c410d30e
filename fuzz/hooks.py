"""Schemathesis hooks of `make fuzz` (loaded through SCHEMATHESIS_HOOKS).

The admin APIs are fuzzed with the bearer token of one demo administrator. Cases that would change
that administrator's own account or role (password, roles, deactivation) end the token on the next
request and leave the rest of the run testing nothing but 401s, so they are skipped here; the same
endpoints are still fuzzed with every other id.
"""

import os

import schemathesis

PROTECTED_USER_ID = os.environ.get("FUZZ_PROTECTED_USER_ID", "")
PROTECTED_ROLES = set(filter(None, os.environ.get("FUZZ_PROTECTED_ROLES", "").split(",")))


@schemathesis.hook
def filter_case(context, case):
    path = case.operation.path
    params = case.path_parameters or {}
    if path.startswith("/api/v1/users/{") and str(params.get("id")) == PROTECTED_USER_ID:
        return False
    if path.startswith("/ccadmin/v1/adminRoles/{") and str(params.get("code", "")).strip("/") in PROTECTED_ROLES:
        return False
    return True
