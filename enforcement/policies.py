"""Every yes/no of enforcement.

The one decision of the till API and the gateway — may this caller make this request? It asks
groups.policies for the method's permission and for the cell test, and adds the org's rollout mode:
in report-only mode a request the group does not allow still passes, and is counted as "would deny".

And who may change the org's enforcement settings, read the usage log and turn it into a group.
"""

from dataclasses import dataclass

from accessadmin.policies import has_privilege
from accessadmin.privileges import Privilege
from groups.policies import explain_denial, grants_allow, permission_for_method

from .caller import Caller
from .models import UsageRecord

ALLOWED = UsageRecord.Outcome.ALLOWED.value
DENIED = UsageRecord.Outcome.DENIED.value
WOULD_DENY = UsageRecord.Outcome.WOULD_DENY.value


@dataclass(frozen=True, slots=True)
class Decision:
    passes: bool            # let the request through
    outcome: str            # ALLOWED, DENIED or WOULD_DENY
    resource: str
    api: str
    permission: str | None

    def explanation(self, caller: Caller) -> dict:
        """Returns why: the resource, part (api), permission and the group that decided."""
        return {**explain_denial(self.resource, self.api, self.permission, caller.group_name),
                "part": self.api, "group_source": caller.group_source}


def group_allows(caller: Caller, resource: str, api: str, permission: str | None) -> bool:
    if not caller.group_active or permission is None:
        return False
    return caller.grants_all or grants_allow(caller.grants, resource, api, permission)


def decide(caller: Caller, resource: str | None, api: str | None, method: str) -> Decision:
    """Returns the decision for `caller` doing `method` on (resource, api). An unknown path
    (resource None) is never allowed by a group."""
    permission = permission_for_method(method)
    if resource is not None and group_allows(caller, resource, api, permission):
        return Decision(True, ALLOWED, resource, api, permission)
    if caller.report_only:
        return Decision(True, WOULD_DENY, resource or "", api or "", permission)
    return Decision(False, DENIED, resource or "", api or "", permission)


def can_change_enforcement(user) -> bool:
    """Switch Basic auth off/on and the enforcement mode (report-only rollout)."""
    return has_privilege(user, Privilege.ACCESS_CONTROL)


def can_view_usage(user) -> bool:
    return has_privilege(user, Privilege.ACCESS_CONTROL)


def can_suggest_groups(user) -> bool:
    """Create a custom group from a usage suggestion: the same privilege as managing groups."""
    return has_privilege(user, Privilege.ACCESS_CONTROL)
