"""Who may manage tills, API clients, the org's enforcement settings and read the usage log."""

from accessadmin.policies import has_privilege
from accessadmin.privileges import Privilege


def can_manage_tills(user) -> bool:
    """Create, rotate, deactivate tills and read their effective permissions (Access control or Admin)."""
    return has_privilege(user, Privilege.ACCESS_CONTROL)


def can_manage_api_clients(user) -> bool:
    return has_privilege(user, Privilege.ACCESS_CONTROL)


def can_change_enforcement(user) -> bool:
    """Switch Basic auth off/on and the enforcement mode (report-only rollout)."""
    return has_privilege(user, Privilege.ACCESS_CONTROL)


def can_view_usage(user) -> bool:
    return has_privilege(user, Privilege.ACCESS_CONTROL)


def can_suggest_groups(user) -> bool:
    """Create a custom group from a usage suggestion: the same privilege as managing groups."""
    return has_privilege(user, Privilege.ACCESS_CONTROL)
