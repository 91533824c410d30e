"""Stable error codes of stores, their allocation, tills and API clients."""

from enum import nonmember

from accessadmin.errors import ErrorCode


class StoresErrorCode(ErrorCode):
    surfaces = nonmember(("/api/v1", "/v2", "pages"))

    INVALID_CODE = "invalid_code", 400, "A store or till code must be letters, digits, dots, dashes or underscores."
    CITY_TOO_LONG = "city_too_long", 400, "The city is longer than the column holds."
    DUPLICATE_CODE = "duplicate_code", 409, "A store of the org, or a till anywhere (a login name), has this code."
    DUPLICATE_NAME = "duplicate_name", 409, "An active API client of the org has this name."
    INVALID_STORES = "invalid_stores", 400, "stores is not a non-empty list of store codes."
    STORE_NOT_FOUND = "store_not_found", 404, "A store code names no store the caller may see (missing lists them)."
    STORE_NOT_IN_GROUP = "store_not_in_group", 409, "A store to unallocate is not allocated to the group."
    USER_NOT_FOUND = "user_not_found", 404, "No user of this username in the organization (store managers)."
    ACCESS_GROUP_REQUIRED = ("access_group_required", 400,
                             "An API client needs an access group of its org or a built-in one.")
    TILL_INACTIVE = "till_inactive", 409, "The till is deactivated: it gets no new OAuth2 credentials."
    BASIC_SECRET_NOT_ALLOWED = ("basic_secret_not_allowed", 409,
                                "The till has no Basic secret and the org gives none to new tills (OAuth2 only).")
    GROUP_INACTIVE = "group_inactive", 409, "The access group is inactive: it takes no stores or API clients."
    GROUP_TOO_WIDE = ("group_too_wide", 403,
                      "A store manager may only pick a group whose cells are all in the store's current group "
                      "(stores lists the stores); Access control may pick any.")
