"""Services and value rules called directly (the way another app, e.g. the till API, uses them)."""

import pytest

from accessadmin.errors import Forbidden, InvalidInput
from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from shopperdata import builtins, selectors, services
from shopperdata.builtins import BUILTIN_IDS
from shopperdata.models import PropertyDefinition
from shopperdata.values import BadValue, coerce


def prop(**kw):
    return PropertyDefinition(**{"code": "p", "type": "shortText", "label": "P", **kw})


@pytest.mark.parametrize("attrs,value,lenient,expected", [
    ({"type": "timestamp"}, "2024-05-06T07:08:09.123456+02:00", False, "2024-05-06T05:08:09.123Z"),
    ({"type": "timestamp"}, "2024-05-06", False, "2024-05-06T00:00:00.000Z"),
    ({"type": "date"}, "2024-05-06", False, "2024-05-06"),
    ({"type": "number"}, 2.0, False, 2),
    ({"type": "number"}, "2.5", True, 2.5),
    ({"type": "checkbox"}, "on", True, True),
    ({"type": "enumerated", "values": [{"value": "a", "label": "A"}], "multi_select": True}, ["a"], False, ["a"]),
    ({"type": "array", "item_type": "number"}, ["1", "2"], True, [1, 2]),
    ({"type": "shortText", "length": 3}, "abc", False, "abc"),
])
def test_values_are_normalised(attrs, value, lenient, expected):
    assert coerce(prop(**attrs), value, lenient=lenient) == expected


@pytest.mark.parametrize("attrs,value,lenient", [
    ({"type": "number"}, "2", False),
    ({"type": "number"}, True, False),
    ({"type": "number"}, float("nan"), False),
    ({"type": "checkbox"}, "on", False),
    ({"type": "date"}, "2024-02-30", False),
    ({"type": "timestamp"}, "soon", False),
    ({"type": "shortText", "length": 3}, "abcd", False),
    ({"type": "enumerated", "values": [{"value": "a", "label": "A"}]}, "b", False),
    ({"type": "array"}, "a,b", False),
])
def test_bad_values_are_refused(attrs, value, lenient):
    with pytest.raises(BadValue):
        coerce(prop(**attrs), value, lenient=lenient)


@pytest.mark.django_db
def test_builtin_properties_are_created_once_per_org(acme, globex):
    assert builtins.ensure_builtin_properties(org=acme) is True
    assert builtins.ensure_builtin_properties(org=acme) is False
    assert {p.code for p in selectors.property_list(org=acme)} == set(BUILTIN_IDS)
    assert {p.code for p in selectors.property_list(org=globex)} == set(BUILTIN_IDS)  # created on first use
    PropertyDefinition.objects.filter(org=acme, code="gender").delete()
    assert "gender" in {p.code for p in selectors.property_list(org=acme)}  # restored (e.g. after a flush)


@pytest.mark.django_db
def test_people_without_the_privilege_are_refused_by_the_services(acme, new_profile):
    catalog = make_user(acme, privileges=[Privilege.CATALOG])
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    profile = new_profile(acme, email="a@example.com")
    with pytest.raises(Forbidden):
        services.profile_create(actor=catalog, org=acme, values={})
    with pytest.raises(Forbidden):
        services.profile_update(actor=catalog, profile=profile, values={"firstName": "x"})
    with pytest.raises(Forbidden):
        services.shopper_type_update(actor=csr, org=acme, properties={"lastName": {"label": "x"}})
    with pytest.raises(Forbidden):
        services.profile_export(actor=csr, org=acme)
    with pytest.raises(Forbidden):
        services.profile_export(actor=None, org=acme)  # the export is for administrators, never anonymous


@pytest.mark.django_db
def test_update_reports_what_changed_and_what_was_ignored(acme, audit_role, csr, configure, new_profile):
    configure(acme, {"lastName": {"readRole": "audit", "writeRole": "audit", "securityMaskingValue": "XXXXX"}})
    profile = new_profile(acme, email="a@example.com", lastName="Real")
    result = services.profile_update(actor=csr, profile=profile, values={"lastName": "Other", "firstName": "F"})
    assert result.changed == ["firstName"] and result.ignored == ["lastName"]
    result = services.profile_update(actor=csr, profile=profile, values={"lastName": "XXXXX"})
    assert result.changed == [] and result.ignored == []  # what it was shown: not even a refused write
    with pytest.raises(InvalidInput):
        services.profile_update(actor=csr, profile=profile, values={"nope": 1})
