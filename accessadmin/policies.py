"""Who may do what in the core: privileges, users, roles and access rights.

Every yes/no about identity is answered here; views, forms, serializers and DRF
permission classes call these functions and never test privileges themselves.
"""

from .identity import access_right_codes
from .privileges import Privilege


def is_platform_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_superuser and user.org_id is None)


def has_privilege(user, privilege: Privilege) -> bool:
    """Returns True when `user` holds `privilege`, or Administrator (which covers every privilege).

    Platform staff act as an administrator of the org they picked.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_platform_staff(user):
        return True
    codes = access_right_codes(user)
    return Privilege.ADMIN in codes or privilege in codes


def privileges_of(user) -> list[str]:
    """Returns the privilege ids `user` effectively holds, sorted."""
    return sorted(p.value for p in Privilege if has_privilege(user, p))


def can_manage_identity(user) -> bool:
    """Users, roles and access rights of the org: administrators only."""
    return has_privilege(user, Privilege.ADMIN)


def can_view_audit(user) -> bool:
    return has_privilege(user, Privilege.ADMIN) or has_privilege(user, Privilege.ACCESS_CONTROL)


def can_edit_access_right(user, access_right) -> bool:
    """Built-in privileges are the platform's: no brand edits them."""
    return can_manage_identity(user) and not access_right.is_builtin
