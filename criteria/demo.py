"""Demo data: acme's catalogs, price groups, the document's two criteria, and a criteria role. Idempotent."""

from django.db import transaction

from accessadmin import services as core_services
from accessadmin.models import Org, Role, User

from . import services
from .models import Catalog, PriceGroup, SecurityCriterion
from .resources import Resource

CATALOGS = [
    ("HomeGoodsCatalog", "Home Goods", "Furniture, kitchen and bath."),
    ("ApparelCatalog", "Apparel", "Clothing, shoes and accessories."),
    ("ElectronicsCatalog", "Electronics", "Phones, computers and audio."),
]
PRICE_GROUPS = [
    ("HomeGoodsPriceGroup", "Home Goods prices", "USD"),
    ("DefaultPriceGroup", "Default prices", "USD"),
    ("SalePriceGroup", "Sale prices", "USD"),
]
# The two examples of the commerce platform's documentation, under ids of their own: the documented requests
# (which use the document's ids) still create theirs on the demo data, beside these of the same name.
CRITERIA = [
    dict(code="homeGoodsCatalogGrant", name="Security Criterion for HomeGoodsCatalog",
         description="Grants access to catalog assets of the HomeGoodsCatalog", resource=Resource.CATALOG.value,
         constraint_type="grant", constraints=[{"values": ["HomeGoodsCatalog"]}]),
    dict(code="homeGoodsPriceGroupGrant", name="Security Criterion for HomeGoodsPriceGroup",
         description="Grants access to HomeGoodsPriceGroup", resource=Resource.PRICE_GROUP.value,
         constraint_type="grant", constraints=[{"values": ["HomeGoodsPriceGroup"]}]),
]
ROLE_CODE = "homeGoodsCatalogEditor"


@transaction.atomic
def seed(*, orgs: dict[str, Org]) -> None:
    acme = orgs.get("acme")
    admin = User.objects.filter(username="acme-admin", org=acme).first()
    if acme is None or admin is None:
        return
    for code, name, description in CATALOGS:
        if not Catalog.objects.filter(org=acme, code=code).exists():
            services.asset_create(actor=admin, org=acme, resource=Resource.CATALOG, code=code, display_name=name,
                                  description=description)
    for code, name, currency in PRICE_GROUPS:
        if not PriceGroup.objects.filter(org=acme, code=code).exists():
            services.asset_create(actor=admin, org=acme, resource=Resource.PRICE_GROUP, code=code,
                                  display_name=name, currency=currency)
    for spec in CRITERIA:
        if not SecurityCriterion.objects.filter(org=acme, code=spec["code"]).exists():
            services.criterion_create(actor=admin, org=acme, **spec)
    role = Role.objects.filter(org=acme, code=ROLE_CODE).first()
    if role is None:
        role = core_services.role_create(actor=admin, org=acme, code=ROLE_CODE, name="Home goods catalog editor",
                                         description="May change only HomeGoodsCatalog (a security criterion).")
        services.role_set_criteria(actor=admin, role=role, criteria=[CRITERIA[0]["code"]])
    catalog_user = User.objects.filter(username="acme-catalog", org=acme).first()
    if catalog_user is not None:
        catalog_user.roles.add(role)
