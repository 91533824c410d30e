"""The decision functions on their own: who reads/writes which property, and the masking values."""

import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from shopperdata import policies
from shopperdata.models import PropertyDefinition
from shopperdata.policies import SYSTEM, Viewer, property_access, viewer_for, write_without_read
from shopperdata.values import masking_value


def prop(**kw):
    attrs = {"code": "p", "type": "shortText", "label": "P", "builtin": False}
    attrs.update(kw)
    return PropertyDefinition(**attrs)


CSR = Viewer("csr", rights_by_role={"csAgentRole": frozenset({"ora.csAgentPrivilege"})})
AUDITOR = Viewer("auditor", rights_by_role={"csAgentRole": frozenset({"ora.csAgentPrivilege"}),
                                            "audit": frozenset({"ar10"})})
ADMIN = Viewer("admin", rights_by_role={"adminRole": frozenset({"ora.adminPrivilege"})})
OTHER_ROLE_WITH_AR10 = Viewer("x", rights_by_role={"reports": frozenset({"ar10"})})


# The document: all four attributes null → every logged-in user can see and modify.
@pytest.mark.parametrize("viewer", [CSR, AUDITOR, ADMIN])
def test_unrestricted_property_is_read_and_written_by_everyone(viewer):
    access = property_access(viewer, prop())
    assert (access.read, access.write) == ("visible", "allowed")
    assert "Anyone signed in may see this" in access.read_reason


@pytest.mark.parametrize("viewer,read", [
    (AUDITOR, "visible"),              # has the role
    (OTHER_ROLE_WITH_AR10, "masked"),  # the access right alone does not help when only readRole is set
    (CSR, "masked"),
    (ADMIN, "masked"),                 # no implicit bypass for administrators
])
def test_read_role_grants_read(viewer, read):
    assert property_access(viewer, prop(read_role="audit")).read == read


@pytest.mark.parametrize("viewer,read", [
    (AUDITOR, "visible"),
    (OTHER_ROLE_WITH_AR10, "visible"),  # any role holding the access right
    (CSR, "masked"),
    (ADMIN, "masked"),
])
def test_read_access_right_grants_read_through_any_role(viewer, read):
    assert property_access(viewer, prop(read_access_right="ar10")).read == read


def test_role_or_access_right_either_grants():
    p = prop(read_role="audit", read_access_right="ar10", write_role="audit", write_access_right="ar10")
    by_role = property_access(Viewer("a", rights_by_role={"audit": frozenset()}), p)
    by_right = property_access(OTHER_ROLE_WITH_AR10, p)
    assert by_role.read == by_right.read == "visible" and by_role.write == by_right.write == "allowed"
    assert by_role.read_decided_by == {"attribute": "readRole", "role": "audit"}
    assert by_right.read_decided_by == {"attribute": "readAccessRight", "accessRight": "ar10", "role": "reports"}
    assert "your role reports holds the access right ar10" in by_right.read_reason


def test_write_attributes_grant_write_independently_of_read():
    p = prop(write_role="adminRole")
    assert property_access(ADMIN, p).write == "allowed"
    assert property_access(CSR, p).write == "ignored"
    assert property_access(CSR, p).read == "visible"


def test_security_levels_decide_what_a_refusal_looks_like():
    p = prop(read_role="audit", write_role="audit")
    assert (property_access(CSR, p).read, property_access(CSR, p).write) == ("masked", "ignored")  # null = ignore
    p = prop(read_role="audit", write_role="audit", read_security_level="ignore", write_security_level="ignore")
    assert (property_access(CSR, p).read, property_access(CSR, p).write) == ("masked", "ignored")
    p = prop(read_role="audit", write_role="audit", read_security_level="deny", write_security_level="deny")
    access = property_access(CSR, p)
    assert (access.read, access.write) == ("hidden", "denied")
    assert "hidden from you" in access.read_reason and "refused with an error" in access.write_reason


def test_security_levels_alone_restrict_nothing():
    # The document: the levels have an effect only if read or write access attributes are set.
    p = prop(read_security_level="deny", write_security_level="deny")
    assert (property_access(CSR, p).read, property_access(CSR, p).write) == ("visible", "allowed")


def test_system_integration_is_never_masked():
    p = prop(read_role="audit", write_role="audit", read_security_level="deny", write_security_level="deny")
    access = property_access(SYSTEM, p)
    assert (access.read, access.write) == ("visible", "allowed")


# The masking table of the document.
@pytest.mark.parametrize("attrs,expected", [
    ({"required": False}, None),                                            # not required → null
    ({"required": False, "default": "d"}, None),                            # default only counts when required
    ({"required": True, "default": "d"}, "d"),                              # required with default → default
    ({"required": True}, ""),                                               # string → ""
    ({"required": True, "type": "longText"}, ""),
    ({"required": True, "type": "number"}, 0),                              # numeric → 0
    ({"required": True, "type": "date"}, "1970-01-01"),                     # date → Jan 1 1970
    ({"required": True, "type": "timestamp"}, "1970-01-01T00:00:00.000Z"),  # timestamp → Jan 1 1970
    ({"required": True, "type": "enumerated",
      "values": [{"value": "gold", "label": "Gold"}, {"value": "silver", "label": "Silver"}]}, "gold"),
    ({"required": False, "security_masking_value": "XXXXX"}, "XXXXX"),      # securityMaskingValue overrides
    ({"required": True, "default": "d", "security_masking_value": "XXXXX"}, "XXXXX"),
])
def test_masking_value_table(attrs, expected):
    assert masking_value(prop(**attrs)) == expected


# "users with write access to a given property are a subset of those with read access"
ROLES = {"adminRole": frozenset({"ora.adminPrivilege"}), "csAgentRole": frozenset({"ora.csAgentPrivilege"}),
         "audit": frozenset({"ar10"})}


def test_example_1_everyone_reads_only_admins_write():
    p = prop(write_role="adminRole")
    assert write_without_read(p, ROLES) == []
    assert property_access(CSR, p).read == "visible" and property_access(CSR, p).write == "ignored"
    assert property_access(ADMIN, p).write == "allowed"


def test_example_2_nobody_writes_through_an_unassigned_access_right():
    p = prop(write_access_right="nobodyHasThis", read_role="audit")
    assert write_without_read(p, ROLES) == []
    for viewer in (CSR, AUDITOR, ADMIN):
        assert property_access(viewer, p).write == "ignored"
    assert property_access(AUDITOR, p).read == "visible" and property_access(CSR, p).read == "masked"


def test_example_3_one_role_reads_and_writes_nobody_else_either():
    p = prop(read_role="audit", write_role="audit")
    assert write_without_read(p, ROLES) == []
    assert (property_access(AUDITOR, p).read, property_access(AUDITOR, p).write) == ("visible", "allowed")
    assert (property_access(CSR, p).read, property_access(CSR, p).write) == ("masked", "ignored")


def test_write_without_read_is_found_per_role():
    assert write_without_read(prop(read_role="audit"), ROLES) == ["adminRole", "csAgentRole"]  # write is open
    assert write_without_read(prop(read_role="audit", write_role="adminRole"), ROLES) == ["adminRole"]
    assert write_without_read(prop(read_access_right="ar10", write_access_right="ora.adminPrivilege"),
                              ROLES) == ["adminRole"]
    assert write_without_read(prop(write_role="audit"), ROLES) == []  # read is open to everyone


@pytest.mark.django_db
def test_page_and_endpoint_policies(acme, audit_role):
    admin = make_user(acme, privileges=[Privilege.ADMIN])
    csr = make_user(acme, privileges=[Privilege.CS_AGENT])
    catalog = make_user(acme, privileges=[Privilege.CATALOG])
    plain = make_user(acme, roles=["audit"])
    matrix = {
        policies.can_use_profiles: (True, True, False, False),
        policies.can_view_shopper_type: (True, True, False, False),
        policies.can_manage_shopper_type: (True, False, False, False),
        policies.can_export_profiles: (True, False, False, False),
    }
    for policy, expected in matrix.items():
        assert tuple(policy(u) for u in (admin, csr, catalog, plain)) == expected, policy.__name__


@pytest.mark.django_db
def test_viewer_for_reads_roles_and_their_access_rights_in_one_query(acme, audit_role,
                                                                      django_assert_num_queries):
    user = make_user(acme, privileges=[Privilege.CS_AGENT], roles=["audit"])
    with django_assert_num_queries(1):
        viewer = viewer_for(user)
    assert viewer.rights_by_role == {"csAgentRole": frozenset({"ora.csAgentPrivilege"}),
                                     "audit": frozenset({"ar10"})}
    user.is_active = False
    assert viewer_for(user).roles == frozenset()
    assert viewer_for(None) is SYSTEM
