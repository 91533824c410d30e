"""Store codes are unique per org ignoring case: in the service (page and API) and in the database."""

import pytest
from django.db import IntegrityError, transaction

from accessadmin.errors import Conflict
from stores import services
from stores.models import Store

pytestmark = pytest.mark.django_db


def test_service_refuses_a_code_differing_only_in_case(acme, globex):
    services.store_create(actor=None, org=acme, code="ACME-S001", name="One")
    with pytest.raises(Conflict) as caught:
        services.store_create(actor=None, org=acme, code="acme-s001", name="Two")
    assert caught.value.code == "duplicate_code"
    services.store_create(actor=None, org=globex, code="acme-s001", name="Other org")  # per org
    assert Store.objects.filter(code__iexact="acme-s001").count() == 2


def test_api_and_page_answer_with_the_duplicate_error(acme, acme_admin, api, pages):
    assert api(acme_admin).post("/api/v1/stores/", {"code": "ACME-S001", "name": "One"},
                                format="json").status_code == 201
    r = api(acme_admin).post("/api/v1/stores/", {"code": "acme-s001", "name": "Two"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "duplicate_code"
    r = pages(acme_admin).post("/stores/new/", {"code": "Acme-S001", "name": "Three", "city": ""})
    assert "This code is taken." in r.content.decode()
    assert Store.objects.filter(org=acme).count() == 1


def test_the_database_refuses_it_too(acme):
    Store.objects.create(org=acme, code="ACME-S009", name="One")
    with pytest.raises(IntegrityError), transaction.atomic():
        Store.objects.create(org=acme, code="acme-s009", name="Two")
