"""Every yes/no of rollout plans: who may make, review, apply and undo them.

The plan changes the allocation of every store of the org, so it takes what allocating any store takes:
the Access control (or Administrator) privilege. Platform staff act as an administrator of the org they
picked (accessadmin.policies.has_privilege), and run `manage.py rollout_plan` over many orgs.
"""

from accessadmin.policies import has_privilege
from accessadmin.privileges import Privilege


def can_plan_rollout(user) -> bool:
    return has_privilege(user, Privilege.ACCESS_CONTROL)
