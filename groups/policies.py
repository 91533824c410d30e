"""Every yes/no about access groups: who manages them, which may change, and what a group allows."""

from accessadmin.errors import Conflict, Forbidden
from accessadmin.policies import has_privilege
from accessadmin.privileges import Privilege

from .errors import GroupsErrorCode

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def can_manage_groups(user) -> bool:
    """Access control or Administrator privilege: view, create, edit, (de)activate, allocate, default."""
    return has_privilege(user, Privilege.ACCESS_CONTROL)


def check_group_editable(group) -> None:
    """Raises unless `group` is a brand's own: built-in groups belong to the platform."""
    if group.is_builtin:
        raise Forbidden(f"{group.name} is a built-in group and cannot be changed.",
                        code=GroupsErrorCode.BUILTIN_GROUP_READONLY)


def check_can_deactivate(group, *, store_count: int, is_default: bool, api_clients=()) -> None:
    """Raises unless `group` may become inactive: custom, not the default, with no stores and no active API
    clients (`api_clients`: [{"id", "name", "client_id"}]; deactivating would silently break them)."""
    check_group_editable(group)
    if is_default:
        raise Conflict(f"{group.name} is the default group; choose another default first.",
                       code=GroupsErrorCode.GROUP_IS_DEFAULT)
    if store_count:
        noun = "store is" if store_count == 1 else "stores are"
        raise Conflict(f"{store_count} {noun} allocated to {group.name}; move them to another group or "
                       "unallocate them first.",
                       code=GroupsErrorCode.GROUP_HAS_STORES, extra={"store_count": store_count})
    if api_clients:
        names = [c["name"] for c in api_clients]
        listed = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        if len(names) == 1:
            message = f"{group.name} is used by the API client {listed}; give it another group or revoke it first."
        else:
            message = (f"{group.name} is used by the API clients {listed}; give them another group or revoke "
                       "them first.")
        raise Conflict(message, code=GroupsErrorCode.GROUP_USED_BY_API_CLIENTS, extra={"clients": list(api_clients)})


def check_can_receive_stores(group) -> None:
    """Raises unless stores may be allocated to `group` (it must be active), or made the default."""
    if not group.is_active:
        raise Conflict(f"{group.name} is inactive; activate it first.", code=GroupsErrorCode.GROUP_INACTIVE)


def permission_for_method(method: str) -> str | None:
    """Returns "read" or "write" for an HTTP method, None for one we do not know."""
    method = method.upper()
    if method in READ_METHODS:
        return "read"
    if method in WRITE_METHODS:
        return "write"
    return None


def grants_allow(grants: frozenset, resource: str, api: str, permission: str | None) -> bool:
    """The decision itself: does the set of granted cells hold (resource, api, permission)?"""
    return permission is not None and (resource, api, permission) in grants


def explain_denial(resource: str, api: str, permission: str | None, group_name: str) -> dict:
    return {"resource": resource, "api": api, "permission": permission, "access_group": group_name}
