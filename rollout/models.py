"""Rollout plans: access groups for a whole org's stores (and API clients) from their usage.

A plan is computed once (rollout.services.plan_create) and kept: its proposed groups, and one assignment
row per store or API client that had usage, with the group it had then. Applying reads these rows; undo
reads them back. Stores and clients without usage have no row: a plan leaves them as they are.
"""

from django.conf import settings
from django.db import models
from django.template.defaultfilters import pluralize


class RolloutPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPLIED = "applied", "Applied"
        UNDONE = "undone", "Undone"

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    days = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_by_repr = models.CharField(max_length=150, blank=True)
    # The newest allocation change (audit event id) the plan saw: a newer one makes it stale.
    basis_event_id = models.BigIntegerField(default=0)
    # Counts of the planning run.
    store_total = models.PositiveIntegerField(default=0)
    stores_with_usage = models.PositiveIntegerField(default=0)
    clients_with_usage = models.PositiveIntegerField(default=0)
    usage_rows = models.PositiveBigIntegerField(default=0)
    requests = models.PositiveBigIntegerField(default=0)
    unknown_subjects = models.PositiveIntegerField(default=0, help_text="Store codes or client ids no longer found.")
    # Requests of the window that the plan's groups would not allow (listed up to WOULD_DENY_LISTED).
    would_deny_count = models.PositiveBigIntegerField(default=0)
    would_deny = models.JSONField(default=list, blank=True)
    # Apply and undo.
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by_repr = models.CharField(max_length=150, blank=True)
    applied_event_id = models.BigIntegerField(null=True, blank=True)
    default_group_before = models.ForeignKey("groups.AccessGroup", null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by_repr = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "-created_at"])]

    def __str__(self):
        return f"Rollout plan #{self.pk} ({self.days} day{pluralize(self.days)})"


class ProposedGroup(models.Model):
    """One group of a plan: a group that exists (a built-in group that covers the cells, or the org's own custom
    group holding exactly them), or a new custom group with exactly `grants`, made on apply."""

    plan = models.ForeignKey(RolloutPlan, on_delete=models.CASCADE, related_name="groups")
    key = models.PositiveIntegerField(help_text="Position within the plan.")
    name = models.CharField(max_length=100)
    grants = models.JSONField(default=list, help_text="Sorted resource/api/permission strings.")
    existing = models.ForeignKey("groups.AccessGroup", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", help_text="A group that exists: built-in, or the org's own.")
    created_group = models.ForeignKey("groups.AccessGroup", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    store_count = models.PositiveIntegerField(default=0)
    client_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="rollout_group_key_unique")]

    def __str__(self):
        return self.name

    @property
    def is_new(self) -> bool:
        """A custom group the plan makes on apply (renameable before)."""
        return self.existing_id is None

    @property
    def kind(self) -> str:
        if self.existing_id is None:
            return "custom"
        return "builtin" if self.existing.org_id is None else "existing"

    def target_id(self) -> int | None:
        """Returns the id of the group the plan's stores and clients go to (None before a custom one is made)."""
        return self.existing_id or self.created_group_id


class PlanAssignment(models.Model):
    """A store or API client with usage, the group it had when planned, and the proposed group it gets."""

    class Kind(models.TextChoices):
        STORE = "store", "Store"
        CLIENT = "client", "API client"

    plan = models.ForeignKey(RolloutPlan, on_delete=models.CASCADE, related_name="assignments")
    proposed = models.ForeignKey(ProposedGroup, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    code = models.CharField(max_length=100, help_text="Store code or API client id.")
    subject_id = models.BigIntegerField(help_text="Store or API client id.")
    # The store's own group (None: it used the org default) or the client's group, when planned.
    before_group = models.ForeignKey("groups.AccessGroup", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requests = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["kind", "code"]
        indexes = [models.Index(fields=["plan", "proposed", "kind", "code"])]

    def __str__(self):
        return f"{self.kind} {self.code}"
