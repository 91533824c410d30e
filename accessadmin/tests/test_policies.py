import pytest

from accessadmin import policies
from accessadmin.privileges import Privilege
from accessadmin.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("held,asked,expected", [
    ([], Privilege.CATALOG, False),
    ([Privilege.CATALOG], Privilege.CATALOG, True),
    ([Privilege.CATALOG], Privilege.CS_AGENT, False),
    ([Privilege.ADMIN], Privilege.CS_AGENT, True),
    ([Privilege.ADMIN], Privilege.ACCESS_CONTROL, True),
    ([Privilege.CS_AGENT, Privilege.ACCESS_CONTROL], Privilege.ACCESS_CONTROL, True),
])
def test_has_privilege_matrix(acme, held, asked, expected):
    assert policies.has_privilege(make_user(acme, privileges=held), asked) is expected


def test_inactive_users_hold_nothing(acme):
    assert not policies.has_privilege(make_user(acme, privileges=[Privilege.ADMIN], is_active=False), Privilege.ADMIN)


def test_platform_staff_act_as_admin(platform_staff):
    assert policies.has_privilege(platform_staff, Privilege.CATALOG)
    assert policies.can_manage_identity(platform_staff)


def test_identity_management_is_for_admins_only(acme):
    assert policies.can_manage_identity(make_user(acme, privileges=[Privilege.ADMIN]))
    assert not policies.can_manage_identity(make_user(acme, privileges=[Privilege.ACCESS_CONTROL]))
