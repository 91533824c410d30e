"""Demo data of shopper data: acme's property rules and 200 acme profiles. Idempotent.

Run by `manage.py seed_demo` after the core demo (which creates role `audit`
holding access right `ar10`, and the users acme-csr and acme-auditor).
"""

import random

from django.db import transaction

from accessadmin import audit
from accessadmin.models import Org

from . import selectors, services
from .models import Profile

DEMO_PROFILES = 200

# The document's example request, as it stands.
LAST_NAME_RULES = {
    "readRole": "audit",
    "writeRole": "audit",
    "readAccessRight": "ar10",
    "writeAccessRight": "ar10",
    "shopperReadable": True,
    "shopperWriteable": True,
    "securityMaskingValue": "XXXXX",
}

LOYALTY_TIER = {
    "type": "enumerated",
    "label": "Loyalty Tier",
    "values": [{"value": "bronze", "label": "Bronze"}, {"value": "silver", "label": "Silver"},
               {"value": "gold", "label": "Gold"}],
    "required": True,
    "default": "bronze",
    "readAccessRight": "ar10",
    "readSecurityLevel": "deny",
    "writeAccessRight": "ar10",
    "writeSecurityLevel": "deny",
    "internalOnly": True,
}

FIRST = ["Ava", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kara", "Liam",
         "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara"]
LAST = ["Anders", "Baker", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Horvat", "Ivanova", "Jensen",
        "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Peters", "Quint", "Rossi", "Smith", "Tanaka"]


@transaction.atomic
def seed(*, orgs: dict[str, Org]) -> None:
    """Configures acme's lastName and loyaltyTier and fills acme up to 200 profiles."""
    acme = orgs.get("acme")
    if acme is None:
        return
    props = {p.code: p for p in selectors.property_list(org=acme)}
    wanted = {}
    last = props["lastName"]
    if (last.read_role, last.security_masking_value) != ("audit", "XXXXX"):
        wanted["lastName"] = LAST_NAME_RULES
    if "loyaltyTier" not in props:
        wanted["loyaltyTier"] = LOYALTY_TIER
    if wanted:
        services.shopper_type_update(actor=None, org=acme, properties=wanted, language="en")

    have = Profile.objects.filter(org=acme).count()
    if have >= DEMO_PROFILES:
        return
    rng = random.Random(2026)
    genders = ["female", "male", "unspecified"]
    tiers = ["bronze", "silver", "gold"]
    rows = []
    for i in range(DEMO_PROFILES):
        first, last_name = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        rows.append(Profile(
            org=acme,
            # The email does not repeat the last name, which CSRs may not read.
            email=f"{first}.{i:03d}@example.com".lower(),
            mobile=f"+4470{i:08d}",
            first_name=first,
            last_name=last_name,
            properties={
                "gender": genders[i % 3],
                "dateOfBirth": f"{1950 + rng.randrange(55)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                "GDPRProfileP13nConsentGranted": i % 4 != 0,
                "receiveEmail": "yes" if i % 2 else "no",
                "loyaltyTier": tiers[rng.randrange(3)],
            },
        ))
    # Demo rows are written in one go (one audit row below) rather than 200 profile.create events
    # that would fill the dashboard's recent changes; the values above fit every property's type.
    existing = set(Profile.objects.filter(org=acme).values_list("email", flat=True))
    Profile.objects.bulk_create([r for r in rows if r.email not in existing][:DEMO_PROFILES - have])
    audit.record(org=acme, actor=None, action="profile.demo_seed", target=None, target_type="shopperdata.profile",
                 target_id="*", after={"profiles": DEMO_PROFILES - have})
