"""Catalogs, price groups and the security criteria that limit who may change them."""

from django.db import models

from accessadmin.models import Org, Role

from .resources import RESOURCES, Resource


class Asset(models.Model):
    """Fields shared by catalogs and price groups. The id is fixed at creation:
    security criteria name assets by id, so renaming one would dodge them."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    code = models.CharField("id", max_length=100)
    display_name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.display_name or self.code


class Catalog(Asset):
    resource = Resource.CATALOG

    class Meta(Asset.Meta):
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="catalog_code_unique_per_org")]


class PriceGroup(Asset):
    resource = Resource.PRICE_GROUP

    currency = models.CharField(max_length=3, default="USD", help_text="ISO 4217 code, e.g. USD.")

    class Meta(Asset.Meta):
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="pricegroup_code_unique_per_org")]


class SecurityCriterion(models.Model):
    """A grant, deny or grantNone on catalogs or price groups, given to users through roles."""

    class ConstraintType(models.TextChoices):
        GRANT = "grant", "grant"
        DENY = "deny", "deny"
        GRANT_NONE = "grantNone", "grantNone"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="security_criteria")
    code = models.CharField("id", max_length=100)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    resource = models.CharField(max_length=40, choices=[(r.value, RESOURCES[r].name) for r in Resource])
    constraint_type = models.CharField(max_length=20, choices=ConstraintType.choices)
    roles = models.ManyToManyField(Role, through="CriterionRole", blank=True, related_name="security_criteria")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "security criteria"
        # The id is the key; names are labels and may repeat (the platform's documented requests rely on it).
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="criterion_code_unique_per_org")]

    def __str__(self):
        return self.name

    @property
    def resource_info(self):
        return RESOURCES[Resource(self.resource)]


class SecurityConstraint(models.Model):
    """One constraint of a criterion: the asset ids it names. Its public id derives from the pk."""

    ID_OFFSET = 100000

    criterion = models.ForeignKey(SecurityCriterion, on_delete=models.CASCADE, related_name="constraints")
    config = models.CharField(max_length=60)
    values = models.JSONField(default=list)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.public_id

    @property
    def public_id(self) -> str:
        return f"scc-{self.ID_OFFSET + self.pk}"

    @classmethod
    def pk_from_public_id(cls, public_id: str) -> int | None:
        prefix, _, number = (public_id or "").partition("-")
        if prefix != "scc" or not number.isdigit() or int(number) <= cls.ID_OFFSET:
            return None
        return int(number) - cls.ID_OFFSET


class CriterionRole(models.Model):
    """A criterion given to a role (both of the same org; services check)."""

    criterion = models.ForeignKey(SecurityCriterion, on_delete=models.CASCADE, related_name="+")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["criterion", "role"], name="criterion_role_unique")]

    def __str__(self):
        return f"{self.criterion_id} on {self.role_id}"
