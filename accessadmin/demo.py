"""Demo data of the core: orgs acme and globex and their users. Idempotent."""

from django.db import transaction

from . import services
from .models import AccessRight, Org, Role, User

DEMO_PASSWORD = "demo-pass-2026"

# username, org code, roles (ids), first name, last name
DEMO_USERS = [
    ("acme-admin", "acme", ["adminRole"], "Ada", "Admin"),
    ("acme-csr", "acme", ["csAgentRole"], "Cass", "Service"),
    ("acme-auditor", "acme", ["csAgentRole", "audit"], "Audrey", "Auditor"),
    ("acme-catalog", "acme", ["catalogRole"], "Carl", "Catalog"),
    ("globex-admin", "globex", ["adminRole"], "Gus", "Globex"),
]


@transaction.atomic
def seed() -> dict[str, Org]:
    """Returns the demo orgs by code, creating what is missing."""
    orgs = {}
    for code, name in (("acme", "Acme Retail"), ("globex", "Globex Stores")):
        orgs[code] = Org.objects.filter(code=code).first() or services.org_create(actor=None, code=code, name=name)

    platform = User.objects.filter(username="platform").first()
    if platform is None:
        platform = User(username="platform", email="platform@example.com", is_staff=True, is_superuser=True)
        platform.set_password(DEMO_PASSWORD)
        platform.save()

    acme = orgs["acme"]
    admin = User.objects.filter(username="acme-admin").first()
    if not AccessRight.objects.filter(org=acme, code="ar10").exists():
        ar10 = AccessRight(org=acme, code="ar10", name="Access right 10",
                           description="Reads and writes sensitive shopper properties.")
        ar10.save()
    if not Role.objects.filter(org=acme, code="audit").exists():
        role = Role.objects.create(org=acme, code="audit", name="Audit", description="Auditors of shopper data.")
        role.access_rights.add(AccessRight.objects.get(org=acme, code="ar10"))

    for username, org_code, roles, first, last in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        services.user_create(actor=admin if org_code == "acme" and admin else None, org=orgs[org_code],
                             username=username, password=DEMO_PASSWORD, email=f"{username}@example.com",
                             first_name=first, last_name=last, roles=roles, validate=False)
        if username == "acme-admin":
            admin = User.objects.get(username="acme-admin")
    return orgs
