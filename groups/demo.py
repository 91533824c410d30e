"""Demo access groups of acme: WeChat (active, allocated to stores 1–5) and Kiosk (inactive)."""

from django.db import transaction

from groups.models import AccessGroup

from . import services

DEMO_GROUPS = [
    ("WeChat", "Mini-program integration: reads customers and points.", [
        {"resource": "customer", "api": "data", "read": True},
        {"resource": "points", "api": "data", "read": True},
    ], True),
    ("Kiosk", "Self-service kiosks: registers and reads customers.", [
        {"resource": "customer", "api": "data", "read": True, "write": True},
    ], False),
]


@transaction.atomic
def seed(*, orgs) -> None:
    acme = orgs["acme"]
    for name, description, permissions, active in DEMO_GROUPS:
        if AccessGroup.objects.filter(org=acme, name=name).exists():
            continue
        group, _ = services.group_create(actor=None, org=acme, name=name, description=description,
                                         permissions=permissions)
        if not active:
            services.group_deactivate(actor=None, org=acme, group=group)
