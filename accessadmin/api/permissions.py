"""DRF permission classes. They only ask accessadmin.policies (or an app's policies)."""

from rest_framework.permissions import BasePermission

from .. import policies


class PolicyPermission(BasePermission):
    """Allows the request when `policy(user)` is true. Subclass and set `policy`."""

    policy = staticmethod(lambda user: False)
    message = "You do not have permission to do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and self.policy(request.user))


def allow(policy, message: str | None = None) -> type[PolicyPermission]:
    """Returns a permission class that asks `policy(user)`."""
    attrs = {"policy": staticmethod(policy)}
    if message:
        attrs["message"] = message
    return type(f"Allow_{policy.__name__}", (PolicyPermission,), attrs)


CanManageIdentity = allow(policies.can_manage_identity, "Only administrators manage users, roles and access rights.")
