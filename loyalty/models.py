"""Loyalty: customers' transactions, their points accounts and ledger, behavioral events.

Customers are shopper profiles of the shopperdata app; rows here refer to them by id only, so this
app's tables do not depend on that app's schema. Stores, tills and API clients are referred to by
foreign key (what made the row).

The tables were created by the stores app and keep their names (`Meta.db_table`): the models moved
here without moving a row (migrations/0001_initial.py).
"""

from django.db import models


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
    created_at = models.DateTimeField(auto_now_add=True)

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
    created_at = models.DateTimeField(auto_now_add=True)

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
