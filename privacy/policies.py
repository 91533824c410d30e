"""Who may do what with PII deletion. Every yes/no of the privacy app is answered here.

Requests are the org's: holders of `piiDeletionPrivilege` raise and cancel them, holders of
`piiApprovalPrivilege` approve or reject them (Administrator holds both); either may see them.
Nobody approves a request they raised, administrators included (maker-checker).
"""

from accessadmin.policies import has_privilege
from accessadmin.privileges import Privilege


def can_raise(user) -> bool:
    return has_privilege(user, Privilege.PII_DELETION)


def can_approve(user) -> bool:
    return has_privilege(user, Privilege.PII_APPROVAL)


def can_view_requests(user) -> bool:
    return can_raise(user) or can_approve(user)


def can_manage_settings(user) -> bool:
    return has_privilege(user, Privilege.ADMIN)


def can_view_settings(user) -> bool:
    return can_manage_settings(user) or can_view_requests(user)


def may_approve_own(raised_by_key: str, decider_key: str) -> bool:
    """Returns False when the decider raised the request: the maker may never be the checker."""
    return raised_by_key != decider_key


def visible(queryset, *, actor, org):
    """Returns the requests of `queryset` that `actor` may see in `org` (all of the org's, or none).

    actor None is a system caller (the till API, Connect+), scoped to `org`.
    """
    if org is None:
        return queryset.none()
    if actor is not None:
        if not can_view_requests(actor):
            return queryset.none()
        if actor.org_id is not None and actor.org_id != org.pk:
            return queryset.none()
    return queryset.filter(org=org)
