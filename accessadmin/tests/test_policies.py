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


def test_platform_staff_is_one_definition_for_policies_tenancy_and_org_creation(acme, globex, platform_staff, api):
    """A superuser of no org, and nobody else: a staff flag alone, or a superuser of an org, is not."""
    from accessadmin import services
    from accessadmin.errors import Forbidden

    staff_only = make_user(None, username="staff-only", is_staff=True)
    org_superuser = make_user(acme, username="acme-super", is_staff=True, is_superuser=True)
    assert [policies.is_platform_staff(u) for u in (platform_staff, staff_only, org_superuser)] == [True, False, False]
    # Only platform staff pick the org they act in (X-Org); the others act in their own org or in none.
    assert api(platform_staff).get("/api/v1/me", HTTP_X_ORG="globex").json()["org"]["code"] == "globex"
    assert api(staff_only).get("/api/v1/me", HTTP_X_ORG="globex").json()["org"] is None
    assert api(org_superuser).get("/api/v1/me", HTTP_X_ORG="globex").json()["org"]["code"] == "acme"
    # Only platform staff create orgs.
    assert services.org_create(actor=platform_staff, code="initech", name="Initech").code == "initech"
    for actor in (staff_only, org_superuser):
        with pytest.raises(Forbidden):
            services.org_create(actor=actor, code="hooli", name="Hooli")
