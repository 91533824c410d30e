"""Demo stores: acme-s001…acme-s040 (1–5 on WeChat) and globex-s001…globex-s005, two tills per acme
store and one API client."""

from django.db import transaction

from groups.builtins import POS
from groups.models import AccessGroup

from . import credentials, services
from .models import ApiClient, Store, Till

CITIES = ["Berlin", "Lisbon", "Oslo", "Turin", "Lyon", "Ghent", "Porto", "Graz"]


@transaction.atomic
def seed(*, orgs) -> None:
    for code, count in (("acme", 40), ("globex", 5)):
        org = orgs[code]
        for n in range(1, count + 1):
            store_code = f"{code}-s{n:03d}"
            if not Store.objects.filter(org=org, code=store_code).exists():
                services.store_create(actor=None, org=org, code=store_code, name=f"{org.name} #{n}",
                                      city=CITIES[n % len(CITIES)])
    acme = orgs["acme"]
    wechat = AccessGroup.objects.get(org=acme, name="WeChat")
    first_five = [f"acme-s{n:03d}" for n in range(1, 6)]
    if Store.objects.filter(org=acme, code__in=first_five, access_group=wechat).count() < 5:
        services.stores_allocate(actor=None, org=acme, group=wechat, store_codes=first_five)
    seed_enforcement(orgs=orgs)


# --- tills and an API client ---------------------------------------------------------------------------------

DEMO_TILL_SECRET = "till-secret-2026"
DEMO_CLIENT_NAME = "Demo ERP"
DEMO_CLIENT_SECRET = "demo-client-secret-2026"


@transaction.atomic
def seed_enforcement(*, orgs) -> None:
    """Two tills per acme store (acme-s001-t1, acme-s001-t2, …; secret till-secret-2026) and one API client
    (Demo ERP, POS group, secret demo-client-secret-2026)."""
    acme = orgs["acme"]
    existing = set(Till.objects.filter(org=acme).values_list("code", flat=True))
    # One slow hash for all 80 tills: they share the demo secret, so they may share its hash.
    shared_hash = None
    for store in Store.objects.filter(org=acme).order_by("code"):
        for n in (1, 2):
            code = f"{store.code}-t{n}"
            if code in existing:
                continue
            shared_hash = shared_hash or credentials.hash_secret(DEMO_TILL_SECRET)
            services.till_create(actor=None, org=acme, store=store, code=code, secret=DEMO_TILL_SECRET,
                                 secret_hash=shared_hash)
    if not ApiClient.objects.filter(org=acme, name=DEMO_CLIENT_NAME).exists():
        services.api_client_create(actor=None, org=acme, name=DEMO_CLIENT_NAME,
                                   access_group=AccessGroup.objects.get(org__isnull=True, name=POS),
                                   secret=DEMO_CLIENT_SECRET)
