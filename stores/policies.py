"""Who may see, create, edit and allocate which stores, and who manages tills and API clients.

Holders of the Access control (or Administrator) privilege manage every store of
their org. Anyone else manages only the stores granted to them one by one
(django-guardian object permission `stores.manage_store`).
"""

from guardian.shortcuts import get_objects_for_user

from accessadmin.policies import has_privilege
from accessadmin.privileges import Privilege
from accessadmin.tenancy import scope

from .models import Store

MANAGE_STORE = "stores.manage_store"


def manages_all_stores(user) -> bool:
    return has_privilege(user, Privilege.ACCESS_CONTROL)


def stores_visible(user, org):
    """Returns the stores of `org` that `user` may see and change, as a queryset (no per-row checks)."""
    stores = scope(Store.objects.all(), org)
    if manages_all_stores(user):
        return stores
    if user is None or not user.is_authenticated or not user.is_active:
        return stores.none()
    return get_objects_for_user(user, MANAGE_STORE, klass=stores, accept_global_perms=False, with_superuser=False)


def can_view_stores(user) -> bool:
    """May open the store pages at all: every store, or at least one delegated store."""
    if manages_all_stores(user):
        return True
    return bool(user and user.is_authenticated and user.org_id
                and stores_visible(user, user.org).exists())


def can_edit_store(user, store) -> bool:
    if manages_all_stores(user):
        return True
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(MANAGE_STORE, store))


def can_create_store(user) -> bool:
    return manages_all_stores(user)


def can_delegate_stores(user) -> bool:
    """Grant and revoke per-store managers."""
    return manages_all_stores(user)


def can_manage_tills(user) -> bool:
    """Create, rotate, deactivate tills and read their effective permissions (Access control or Admin)."""
    return has_privilege(user, Privilege.ACCESS_CONTROL)


def can_manage_api_clients(user) -> bool:
    return has_privilege(user, Privilege.ACCESS_CONTROL)


def is_wider(group_grants: frozenset, current_grants: frozenset) -> bool:
    """True when a group grants some permission cell that the store's current effective group does not:
    its set of cells is not a subset of the current group's (Admin is wider than any group lacking a cell)."""
    return not group_grants <= current_grants


def may_allocate_to(user, *, group_grants: frozenset, current_grants: frozenset) -> bool:
    """May `user` move a store acting with `current_grants` (its effective group's cells) to a group granting
    `group_grants`? Holders of Access control may pick any group; a store manager (per-store delegation) only
    one that is not wider, so delegation never lets a manager widen what their stores' tills may do."""
    return manages_all_stores(user) or not is_wider(group_grants, current_grants)
