import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_user

# The Connect+ template's tests: a real SFTP server on loopback and GnuPG keys (Connect+'s own fixtures).
from connect.tests.transfer_fixtures import pgp_pairs, sftp, sftp_server_env  # noqa: F401
from privacy import services
from shopperdata import services as profile_services


@pytest.fixture
def enable():
    """enable(org, **settings) → turns PII deletion on for `org` (as platform staff would), returns the settings."""
    def run(org, **changes):
        staff = make_user(None, is_superuser=True)
        return services.settings_update(actor=staff, org=org, changes={"deletion_enabled": True, **changes})
    return run


@pytest.fixture
def maker(acme):
    return make_user(acme, username="acme-maker", privileges=[Privilege.PII_DELETION, Privilege.CS_AGENT])


@pytest.fixture
def checker(acme):
    return make_user(acme, username="acme-checker", privileges=[Privilege.PII_APPROVAL])


@pytest.fixture
def shopper():
    """shopper(org, n) → a profile with every kind of personal data, created by the system."""
    def run(org, n=1, **extra):
        profile_services.shopper_type_update(actor=None, org=org, properties={
            "nickname": {"type": "shortText", "pii": True}, "shoeSize": {"type": "number"}})
        values = {"email": f"ann{n}@example.com", "mobile": f"+4917000{n:05d}", "firstName": "Ann",
                  "lastName": "Lee", "dateOfBirth": "1990-02-03", "gender": "female", "nickname": "annie",
                  "shoeSize": 38, **extra}
        return profile_services.profile_create(actor=None, org=org, values=values).profile
    return run
