"""seed_demo: two tills per acme store with the demo secret, and one API client; idempotent."""

import pytest
from django.core.management import call_command

from stores.demo import DEMO_CLIENT_SECRET, DEMO_TILL_SECRET
from stores.models import ApiClient, Till


@pytest.mark.django_db
def test_seed_demo_tills_and_client(bearer_client, oauth_token, till_client, acme):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    codes = list(Till.objects.filter(org__code="acme").values_list("code", flat=True))
    assert len(codes) == 80 and "acme-s001-t1" in codes and "acme-s040-t2" in codes
    assert till_client("acme-s001-t1", DEMO_TILL_SECRET).get("/v2/customers").status_code == 200
    assert till_client("acme-s040-t2", DEMO_TILL_SECRET, md5=True).get("/v2/customers").status_code == 200
    # acme-s001 is allocated to WeChat (data read on customer and points): no transactions.
    assert till_client("acme-s001-t1", DEMO_TILL_SECRET).get("/v2/transactions").status_code == 403
    client = ApiClient.objects.get(org__code="acme")
    assert bearer_client(oauth_token(client.client_id, DEMO_CLIENT_SECRET)).get("/v2/customers").status_code == 200
