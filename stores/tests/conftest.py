import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from groups import services as group_services
from groups.models import AccessGroup
from stores import services as store_services


@pytest.fixture
def ac_user(acme):
    """An acme user with the Access control privilege only."""
    return make_user(acme, username="acme-access", privileges=[Privilege.ACCESS_CONTROL])


@pytest.fixture
def make_stores():
    def make(org, n, prefix=None):
        prefix = prefix or org.code
        return [store_services.store_create(actor=None, org=org, code=f"{prefix}-s{i:03d}", name=f"Store {i}",
                                            city="Oslo") for i in range(1, n + 1)]
    return make


@pytest.fixture
def make_group():
    def make(org, name="WeChat", permissions=None, **kw):
        group, _ = group_services.group_create(
            actor=None, org=org, name=name, description=kw.get("description", ""),
            permissions=permissions if permissions is not None else [
                {"resource": "customer", "api": "data", "read": True, "write": False}])
        return group
    return make


@pytest.fixture
def builtin():
    def get(name):
        return AccessGroup.objects.get(org__isnull=True, name=name)
    return get
