"""Stable error codes of access groups (the `code` of /api/v1 answers and the messages of the pages)."""

from enum import nonmember

from accessadmin.errors import ErrorCode


class GroupsErrorCode(ErrorCode):
    surfaces = nonmember(("/api/v1", "pages"))

    DUPLICATE_NAME = "duplicate_name", 400, "An access group with this name exists (ignoring case; built-ins too)."
    INVALID_PERMISSIONS = "invalid_permissions", 400, "permissions is not a list of cells with boolean flags."
    DUPLICATE_CELL = "duplicate_cell", 400, "The same resource and part (api) is given twice in permissions."
    UNKNOWN_RESOURCE = "unknown_resource", 400, "A cell names a resource the API catalogue does not have."
    INVALID_FILTER = "invalid_filter", 400, "A filter of the group list has a value it does not know."
    BUILTIN_GROUP_READONLY = "builtin_group_readonly", 403, "Built-in groups belong to the platform: no changes."
    GROUP_IS_DEFAULT = "group_is_default", 409, "The default group cannot be deactivated; choose another first."
    GROUP_HAS_STORES = ("group_has_stores", 409,
                        "Stores are allocated to the group (store_count); move them (move_to) or unallocate first.")
    GROUP_USED_BY_API_CLIENTS = ("group_used_by_api_clients", 409,
                                 "Active API clients act with the group (clients); move or revoke them first.")
    INVALID_MOVE_TARGET = ("invalid_move_to", 400,
                           "move_to (deactivate) names no other access group of the org or a built-in one.")
    GROUP_INACTIVE = "group_inactive", 409, "The group is inactive: it cannot receive stores or become the default."
