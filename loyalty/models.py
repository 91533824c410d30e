"""Loyalty: customers' transactions, their points accounts and ledger, behavioral events.

Customers are shopper profiles of the shopperdata app; rows here refer to them by id only, so this
app's tables do not depend on that app's schema. Stores, tills and API clients are referred to by
foreign key (what made the row).

The tables were created by the stores app and keep their names (`Meta.db_table`): the models moved
here without moving a row (migrations/0001_initial.py).
"""

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Transaction(models.Model):
    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    customer_id = models.BigIntegerField()
    bill_number = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    points = models.PositiveIntegerField(default=0)
    store = models.ForeignKey("stores.Store", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    till = models.ForeignKey("stores.Till", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    api_client = models.ForeignKey("stores.ApiClient", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "stores_transaction"
        ordering = ["-id"]
        indexes = [models.Index(fields=["org", "customer_id"])]

    def __str__(self):
        return f"{self.bill_number}"


class PointsAccount(models.Model):
    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    customer_id = models.BigIntegerField()
    balance = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "stores_pointsaccount"
        constraints = [
            models.UniqueConstraint(fields=["org", "customer_id"], name="points_account_unique"),
            models.CheckConstraint(condition=models.Q(balance__gte=0), name="points_balance_not_negative"),
        ]

    def __str__(self):
        return f"{self.customer_id}: {self.balance}"


class PointsEntry(models.Model):
    class Kind(models.TextChoices):
        EARN = "earn", "Earned by a transaction"
        ISSUE = "issue", "Issued"
        REDEEM = "redeem", "Redeemed"

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    customer_id = models.BigIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    points = models.IntegerField(help_text="Signed: negative for redemptions.")
    balance_after = models.PositiveIntegerField()
    transaction = models.ForeignKey(Transaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    till = models.ForeignKey("stores.Till", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    api_client = models.ForeignKey("stores.ApiClient", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "stores_pointsentry"
        ordering = ["-id"]
        indexes = [models.Index(fields=["org", "customer_id"])]

    def __str__(self):
        return f"{self.kind} {self.points}"


class BehavioralEventDefinition(models.Model):
    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    attributes = models.JSONField(default=list, blank=True, help_text="Names of the attributes an event carries.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "stores_behavioraleventdefinition"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="event_definition_unique_per_org")]

    def __str__(self):
        return self.name


class BehavioralEvent(models.Model):
    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    definition = models.ForeignKey(BehavioralEventDefinition, on_delete=models.CASCADE, related_name="events")
    customer_id = models.BigIntegerField(null=True, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    till = models.ForeignKey("stores.Till", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    api_client = models.ForeignKey("stores.ApiClient", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "stores_behavioralevent"
        ordering = ["-id"]

    def __str__(self):
        return f"{self.definition_id}@{self.created_at}"


# --- group loyalty (DESIGN §10) -------------------------------------------------------------------------------

DEFAULT_SLABS = [
    {"name": "Silver", "threshold": 0, "renewal_threshold": 0},
    {"name": "Gold", "threshold": 5000, "renewal_threshold": 4000},
    {"name": "Platinum", "threshold": 20000, "renewal_threshold": 16000},
]
GROUP_TEXT_MAX_LENGTH = 50  # externalId, groupName and a member's role (the source platform's limits)


def default_slabs() -> list:
    return [dict(slab) for slab in DEFAULT_SLABS]


class PointsTo(models.TextChoices):
    BOTH = "both", "Member and group"
    GROUP = "group", "Group only"
    MEMBER = "member", "Member only"


class GroupProgram(models.Model):
    """An org's group loyalty settings; an org without a row has the defaults (and the program off).

    `slabs` is ordered `[{"name", "threshold", "renewal_threshold"}]` with ascending thresholds, the first 0
    (checked by services.program_update, the only writer).
    """

    org = models.OneToOneField("accessadmin.Org", on_delete=models.CASCADE, related_name="group_program")
    enabled = models.BooleanField(default=False)
    max_group_size = models.PositiveIntegerField(default=30, help_text="The org's cap on members per group.")
    points_to = models.CharField(max_length=10, choices=PointsTo.choices, default=PointsTo.BOTH)
    tracking_window_days = models.PositiveIntegerField(default=365)
    slabs = models.JSONField(default=default_slabs)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Group program of {self.org_id}"


class UserGroup(models.Model):
    """A family or company whose members (customers) earn loyalty together.

    The wallet (`balance`) and the counters (`lifetime_points`, `lifetime_purchases`) change only together
    with a GroupLedgerEntry, in one conditional UPDATE (services); contributions are sums of the ledger.
    `slab_index` points into the program's slabs; `slab_expires_at` is None for the first slab (it never
    expires). `primary_customer_id` is set once, by the first primary member to join, and never changes.
    """

    class Type(models.TextChoices):
        FAMILY = "FAMILY", "Family"
        COMPANY = "COMPANY", "Company"

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", "Active"
        INACTIVE = "INACTIVE", "Inactive"

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(max_length=GROUP_TEXT_MAX_LENGTH)
    name = models.CharField(max_length=GROUP_TEXT_MAX_LENGTH, blank=True, default="")
    group_type = models.CharField(max_length=10, choices=Type.choices, default=Type.FAMILY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    max_group_size = models.PositiveIntegerField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    extended_fields = models.JSONField(default=dict, blank=True)
    primary_customer_id = models.BigIntegerField(null=True, blank=True)
    balance = models.PositiveIntegerField(default=0)
    lifetime_points = models.BigIntegerField(default=0)
    lifetime_purchases = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    slab_index = models.PositiveSmallIntegerField(default=0)
    slab_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "external_id"], name="user_group_external_id_unique"),
            models.UniqueConstraint(Lower("name"), "org", condition=~models.Q(name=""),
                                    name="user_group_name_unique_ci"),
            models.CheckConstraint(condition=models.Q(balance__gte=0), name="user_group_balance_not_negative"),
        ]
        indexes = [
            models.Index(fields=["org", "primary_customer_id"], name="user_group_org_primary"),
            models.Index(fields=["status", "slab_expires_at"], name="user_group_slab_expiry"),
        ]

    def __str__(self):
        return f"User group {self.external_id}"


class GroupMembership(models.Model):
    """A customer in a group: one row per (group, customer); leaving sets `left_at` (the row stays, so the
    member's contribution and history stay). `active` is the join request's flag."""

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(UserGroup, on_delete=models.CASCADE, related_name="memberships")
    customer_id = models.BigIntegerField()
    primary = models.BooleanField(default=False)
    default_group = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    role = models.CharField(max_length=GROUP_TEXT_MAX_LENGTH, blank=True, default="")
    allow_points_redemption = models.BooleanField(default=False)
    allow_points_transfer = models.BooleanField(default=False)
    block_points_redemption = models.BooleanField(default=False)
    block_points_transfer = models.BooleanField(default=False)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    PERMISSIONS = ("allow_points_redemption", "allow_points_transfer", "block_points_redemption",
                   "block_points_transfer")

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "customer_id"], name="group_membership_unique"),
            models.UniqueConstraint(fields=["group"], condition=models.Q(primary=True),
                                    name="group_one_primary_member"),
            models.UniqueConstraint(fields=["org", "customer_id"],
                                    condition=models.Q(primary=True, left_at__isnull=True),
                                    name="customer_primary_in_one_group"),
            models.UniqueConstraint(fields=["org", "customer_id"],
                                    condition=models.Q(default_group=True, left_at__isnull=True),
                                    name="customer_one_default_group"),
        ]
        indexes = [models.Index(fields=["org", "customer_id"], name="group_membership_customer")]

    def __str__(self):
        return f"{self.customer_id} in {self.group_id}"

    @property
    def permissions(self) -> list[str]:
        return [name for name in self.PERMISSIONS if getattr(self, name)]

    @property
    def exited(self) -> bool:
        return self.left_at is not None


class GroupLedgerEntry(models.Model):
    """One credit or debit of a group's wallet with the member it came from (`customer_id`)."""

    class Kind(models.TextChoices):
        EARN = "earn", "Earned by a member's transaction"
        REDEEM = "redeem", "Redeemed by a member"

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(UserGroup, on_delete=models.CASCADE, related_name="ledger")
    customer_id = models.BigIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    points = models.IntegerField(help_text="Signed: negative for redemptions.")
    balance_after = models.PositiveIntegerField()
    transaction = models.ForeignKey(Transaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    till = models.ForeignKey("stores.Till", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    api_client = models.ForeignKey("stores.ApiClient", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["group", "-created_at", "-id"], name="group_ledger_newest"),
            # points last: the contribution and tracker sums read the index alone
            models.Index(fields=["group", "customer_id", "kind", "points"], name="group_ledger_member"),
            models.Index(fields=["group", "kind", "created_at", "points"], name="group_ledger_tracker"),
        ]

    def __str__(self):
        return f"{self.kind} {self.points}"


class GroupSlabEvent(models.Model):
    """A group's slab history: every upgrade, renewal and downgrade with its reason and the tracker then."""

    class Reason(models.TextChoices):
        UPGRADE = "upgrade", "Tracker reached the next threshold"
        RENEWAL = "renewal", "Tracker at expiry reached the renewal threshold"
        DOWNGRADE = "downgrade", "Tracker at expiry below the renewal threshold"

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(UserGroup, on_delete=models.CASCADE, related_name="slab_events")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    from_slab = models.CharField(max_length=100)
    to_slab = models.CharField(max_length=100)
    tracker = models.BigIntegerField()
    expires_at = models.DateTimeField(null=True, blank=True, help_text="When the new slab expires.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["group", "-created_at"], name="group_slab_event_newest")]

    def __str__(self):
        return f"{self.reason} {self.from_slab} → {self.to_slab}"
