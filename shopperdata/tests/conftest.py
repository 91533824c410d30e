import pytest

from accessadmin import services as core_services
from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from shopperdata import demo, services


@pytest.fixture
def audit_role(acme, acme_admin):
    """acme's access right ar10 and role audit holding it (as in the core demo)."""
    core_services.access_right_create(actor=acme_admin, org=acme, code="ar10", name="Access right 10")
    return core_services.role_create(actor=acme_admin, org=acme, code="audit", name="Audit", access_rights=["ar10"])


@pytest.fixture
def unassigned_right(acme, acme_admin):
    """An access right of acme that no role holds (the document's second example)."""
    return core_services.access_right_create(actor=acme_admin, org=acme, code="unassignedRight",
                                             name="Held by no role")


@pytest.fixture
def auditor(acme, audit_role):
    return make_user(acme, username="acme-auditor", privileges=[Privilege.CS_AGENT], roles=["audit"])


@pytest.fixture
def demo_acme(acme, globex, audit_role, csr, auditor):
    """acme as `seed_demo` leaves it: lastName as in the document, loyaltyTier, 200 profiles."""
    demo.seed(orgs={"acme": acme, "globex": globex})
    return acme


@pytest.fixture
def configure():
    """configure(org, {property id: attributes}) → changes the shopper type as the system."""
    def run(org, properties):
        return services.shopper_type_update(actor=None, org=org, properties=properties)
    return run


@pytest.fixture
def new_profile():
    """new_profile(org, **values) → a profile created by the system (no masking, no write rules)."""
    def run(org, **values):
        return services.profile_create(actor=None, org=org, values=values).profile
    return run
