"""Who may do what in the core: privileges, users, roles and access rights.

Every yes/no about identity is answered here; views, forms, serializers and DRF
permission classes call these functions and never test privileges themselves.
"""

from .identity import access_right_codes
from .privileges import Privilege


def is_platform_staff(user) -> bool:
    """The one definition of platform staff: a superuser of no org. They keep the platform (orgs, the
    catalogue, built-in groups, the Django admin), act as an administrator of the org they pick, and are
    the only users without an org who may pick one."""
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


def may_use_name(actor, org, name: str) -> bool:
    """Returns True when `actor` may give `name` to a new till or user of `org`.

    Till codes and usernames are global (they are login names), so each org has a namespace:
    `<org code>-…`, less the namespaces of orgs whose codes extend its own (`acme-eu-…` is acme-eu's,
    not acme's). Platform staff may use any name; everybody else (brand users, the till API, seeding)
    only names of the org's namespace, whether or not the name is taken elsewhere.
    """
    if is_platform_staff(actor):
        return True
    name = (name or "").lower()
    if not name.startswith(f"{org.code}-"):
        return False
    from .models import Org  # policies otherwise never touch models; this is the one rule about org codes

    longer = Org.objects.filter(code__startswith=f"{org.code}-").values_list("code", flat=True)
    return not any(name.startswith(f"{code}-") for code in longer)
