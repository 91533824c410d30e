import pytest

from shopperdata import demo
from shopperdata.models import Profile, PropertyDefinition

pytestmark = pytest.mark.django_db


def test_seed_configures_the_documents_example_and_200_profiles_once(acme, globex, audit_role):
    demo.seed(orgs={"acme": acme, "globex": globex})
    demo.seed(orgs={"acme": acme, "globex": globex})  # idempotent
    assert Profile.objects.filter(org=acme).count() == 200
    assert not Profile.objects.filter(org=globex).exists()
    last = PropertyDefinition.objects.get(org=acme, code="lastName")
    assert (last.read_role, last.write_role, last.read_access_right, last.write_access_right,
            last.security_masking_value, last.shopper_readable, last.shopper_writeable) == (
        "audit", "audit", "ar10", "ar10", "XXXXX", True, True)
    assert last.read_security_level is None and last.write_security_level is None
    tier = PropertyDefinition.objects.get(org=acme, code="loyaltyTier")
    assert not tier.builtin and tier.type == "enumerated" and tier.required and tier.default == "bronze"
    assert tier.read_security_level == "deny" and tier.read_access_right == "ar10" and tier.read_role is None
    assert PropertyDefinition.objects.filter(org=acme, code="mobile", builtin=True).exists()


def test_seed_demo_command_runs_every_demo(db):
    from django.core.management import call_command

    call_command("seed_demo", stdout=__import__("io").StringIO())
    assert Profile.objects.filter(org__code="acme").count() == 200
