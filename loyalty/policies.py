"""Who may do what with group loyalty. Every yes/no of the loyalty app's pages and Admin API is answered here.

There is no separate loyalty privilege (DESIGN §3): administrators change the group program; CS agents (member
care) and administrators read the program and the groups. The till API is decided by the caller's access
group (catalogue resource "User Groups"), not here.
"""

from accessadmin.policies import has_privilege
from accessadmin.privileges import Privilege


def can_manage_program(user) -> bool:
    return has_privilege(user, Privilege.ADMIN)


def can_view_program(user) -> bool:
    return can_manage_program(user) or has_privilege(user, Privilege.CS_AGENT)


def can_view_groups(user) -> bool:
    """Member care: CS agents and administrators see the org's user groups, their members and ledgers."""
    return has_privilege(user, Privilege.CS_AGENT)


def may_redeem_from_group(membership) -> bool:
    """Returns True when this membership may spend the group's points: allowed, not blocked, and still in."""
    return (membership is not None and membership.left_at is None and membership.active
            and membership.allow_points_redemption and not membership.block_points_redemption)
