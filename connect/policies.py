"""Who may do what in Connect+. Every yes/no of the app is answered here.

Connect+ objects are the org's: a user holding `connectPrivilege` (or
Administrator, which covers every privilege) sees and changes all of its org's
connections, keys, dataflows and runs; nobody sees another org's (404).
"""

from accessadmin.policies import has_privilege
from accessadmin.privileges import Privilege


def can_use_connect(user) -> bool:
    """Returns True when `user` may see and change Connect+ objects of the org they act in."""
    return has_privilege(user, Privilege.CONNECT)


def visible(queryset, *, actor, org, field: str = "org"):
    """Returns the rows of `queryset` that `actor` may see in `org`: all of the org's, or none."""
    if org is None or not can_use_connect(actor):
        return queryset.none()
    if actor.org_id is not None and actor.org_id != org.pk:
        return queryset.none()
    return queryset.filter(**{field: org})
