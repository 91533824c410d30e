"""One rule for names, whichever app names the thing: text, stripped, not empty, within the column."""

import pytest

from accessadmin import services as core_services
from accessadmin.errors import CoreErrorCode, InvalidInput
from accessadmin.validation import clean_name
from criteria import services as criteria_services
from criteria.resources import Resource
from groups import services as group_services
from loyalty import services as loyalty_services
from stores import services as store_services

pytestmark = pytest.mark.django_db


def test_the_rule():
    assert clean_name("  Kiosk  ", max_length=5) == "Kiosk"
    for value, code, message in ((None, CoreErrorCode.NAME_REQUIRED, "Name is required."),
                                 ("   ", CoreErrorCode.NAME_REQUIRED, "Name is required."),
                                 (12, CoreErrorCode.NAME_NOT_TEXT, "Name must be text."),
                                 ("Kiosks", CoreErrorCode.NAME_TOO_LONG, "Name is longer than 5 characters.")):
        with pytest.raises(InvalidInput) as raised:
            clean_name(value, max_length=5)
        assert (raised.value.code, raised.value.message, list(raised.value.fields)) == (code, message, ["name"])
    with pytest.raises(InvalidInput) as raised:
        clean_name("", max_length=5, field="displayName", code="22064")
    assert (raised.value.code, raised.value.message, list(raised.value.fields)) == (
        "22064", "DisplayName is required.", ["displayName"])


def _writers(acme, admin, builtin):
    """Each app's writer of a new named thing, called with `name`, and the longest name it takes."""
    store = store_services.store_create(actor=admin, org=acme, code="acme-n1", name="Store")
    return {
        "role": (lambda name: core_services.role_create(actor=admin, org=acme, name=name), 200),
        "access group": (lambda name: group_services.group_create(actor=admin, org=acme, name=name), 100),
        "store": (lambda name: store_services.store_create(actor=admin, org=acme, code="acme-n2", name=name), 200),
        "store rename": (lambda name: store_services.store_update(actor=admin, org=acme, store=store, name=name),
                         200),
        "API client": (lambda name: store_services.api_client_create(actor=admin, org=acme, name=name,
                                                                      access_group=builtin("POS")), 100),
        "event definition": (lambda name: loyalty_services.event_definition_create(org=acme, name=name), 100),
    }


def test_every_app_names_things_by_the_one_rule(acme, acme_admin, builtin):
    for what, (write, max_length) in _writers(acme, acme_admin, builtin).items():
        for bad, code in (("  ", CoreErrorCode.NAME_REQUIRED), ("x" * (max_length + 1), CoreErrorCode.NAME_TOO_LONG)):
            with pytest.raises(InvalidInput) as raised:
                write(bad)
            assert raised.value.code == code, what
            expected = "This field is required." if code == CoreErrorCode.NAME_REQUIRED \
                else f"At most {max_length} characters."
            assert raised.value.fields == {"name": [expected]}, what


def test_the_commerce_admin_api_keeps_its_one_code_for_bad_names(acme, acme_admin):
    with pytest.raises(InvalidInput) as raised:
        criteria_services.criterion_create(actor=acme_admin, org=acme, name=" ", resource=Resource.CATALOG,
                                           constraint_type="grant", constraints=[])
    assert (raised.value.code, raised.value.message) == ("22064", "Name is required.")
