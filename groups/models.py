from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class Api(models.TextChoices):
    DATA = "data", "Data API"
    CONFIG = "config", "Config API"


class ApiResource(models.Model):
    """One entry of the API resource catalogue, kept by platform staff.

    Path patterns are URL paths whose segments may be `*` (exactly one segment)
    or `**` (any number of segments, only last), e.g. `/v2/customers/*`.
    """

    key = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    data_paths = models.JSONField(default=list, blank=True, help_text="Path patterns of the Data API part.")
    config_paths = models.JSONField(default=list, blank=True, help_text="Path patterns of the Config API part.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def paths(self, api: str) -> list[str]:
        return self.data_paths if api == Api.DATA else self.config_paths


class AccessGroupQuerySet(models.QuerySet):
    def visible_to(self, org):
        """The built-in groups plus `org`'s own."""
        return self.filter(Q(org__isnull=True) | Q(org=org))


class AccessGroup(models.Model):
    """A set of permission cells. Built-in groups have no org and are shared by every org."""

    org = models.ForeignKey("accessadmin.Org", null=True, blank=True, on_delete=models.CASCADE,
                            related_name="access_groups")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    grants_all = models.BooleanField(
        default=False, help_text="Every cell of every resource, including resources added later (built-in Admin)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = AccessGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("org", Lower("name"), name="accessgroup_name_unique_per_org_ci"),
            models.UniqueConstraint(Lower("name"), condition=Q(org__isnull=True),
                                    name="accessgroup_builtin_name_unique_ci"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.org_id is None

    @property
    def kind(self) -> str:
        return "builtin" if self.is_builtin else "custom"

    @property
    def status(self) -> str:
        return "active" if self.is_active else "inactive"


class PermissionCell(models.Model):
    """What a group may do on one part (data or config) of one resource. Absent cell: nothing."""

    group = models.ForeignKey(AccessGroup, on_delete=models.CASCADE, related_name="cells")
    resource = models.ForeignKey(ApiResource, on_delete=models.CASCADE, related_name="+")
    api = models.CharField(max_length=10, choices=Api.choices)
    read = models.BooleanField(default=False)
    write = models.BooleanField(default=False)

    class Meta:
        ordering = ["resource__position", "api"]
        constraints = [
            models.UniqueConstraint(fields=["group", "resource", "api"], name="cell_unique_per_group"),
        ]

    def __str__(self):
        return f"{self.group_id}:{self.resource_id}:{self.api}"


class DefaultAccessGroup(models.Model):
    """The group an org's stores use when they have none. No row means the built-in POS group."""

    org = models.OneToOneField("accessadmin.Org", on_delete=models.CASCADE, related_name="default_access_group")
    group = models.ForeignKey(AccessGroup, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    def __str__(self):
        return f"{self.org_id} → {self.group_id}"


class GroupStoreCount(models.Model):
    """How many of an org's stores are allocated to a group; `group` None counts the org's stores with no
    group (they follow the default). A built-in group is shared by every org, so the count is per org and
    group, not a column of the group.

    Kept by the writes that move stores, in their transaction (groups.services.store_counts_apply); a
    missing row means 0. `manage.py store_counts --check` compares every row with a real count."""

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(AccessGroup, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="store_counts")
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "group"], name="storecount_unique_per_org_group"),
            models.UniqueConstraint(fields=["org"], condition=Q(group__isnull=True),
                                    name="storecount_unique_per_org_ungrouped"),
            # A writer that forgot to lock the stores it moves would drive a count below zero: refuse it.
            models.CheckConstraint(condition=Q(count__gte=0), name="storecount_not_negative"),
        ]
        indexes = [models.Index(fields=["org", "count", "group"], name="storecount_org_count")]

    def __str__(self):
        return f"{self.org_id}:{self.group_id}={self.count}"
