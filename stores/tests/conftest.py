import pytest


@pytest.fixture
def store(make_store, acme):
    """acme's store acme-s001 (default group)."""
    return make_store(acme, "acme-s001")
