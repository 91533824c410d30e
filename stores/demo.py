"""Demo stores: acme-s001…acme-s040 (1–5 on WeChat) and globex-s001…globex-s005."""

from django.db import transaction

from groups import services as group_services
from groups.models import AccessGroup

from . import services
from .models import Store

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
        group_services.stores_allocate(actor=None, org=acme, group=wechat, store_codes=first_five)
