from django.db import models


class Store(models.Model):
    """A brand's store. Its tills use its access group, or the org's default group when it has none."""

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="stores")
    code = models.CharField(max_length=50)
    name = models.CharField(max_length=200)
    city = models.CharField(max_length=100, blank=True)
    access_group = models.ForeignKey("groups.AccessGroup", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="stores")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        permissions = [("manage_store", "Can edit this store and allocate it to an access group")]
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="store_code_unique_per_org")]
        indexes = [models.Index(fields=["org", "access_group"])]

    def __str__(self):
        return f"{self.code} · {self.name}"


# --- callers of the till API: tills and API clients ---------------------------------------------------------


class Till(models.Model):
    """A POS terminal of a store. It authenticates with HTTP Basic (code + secret) and acts with its
    store's access group (or the org default). Codes are the Basic user name, so they are unique across
    every org (like user names), which also makes them unique per org."""

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="tills")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="tills")
    code = models.CharField(max_length=100, unique=True)
    # Django password hash of the lowercase hex MD5 of the secret: clients may send either form.
    secret_hash = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="till_code_unique_per_org")]
        indexes = [models.Index(fields=["org", "store"])]

    def __str__(self):
        return self.code


class ApiClient(models.Model):
    """A server integration: an OAuth2 client-credentials application with its own access group."""

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="api_clients")
    name = models.CharField(max_length=100)
    # Deleted on revocation (which removes its tokens too); the row stays for history.
    application = models.OneToOneField("oauth2_provider.Application", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="api_client")
    client_id = models.CharField(max_length=100, unique=True)
    access_group = models.ForeignKey("groups.AccessGroup", on_delete=models.PROTECT, related_name="api_clients")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("accessadmin.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# --- the till API's own data ------------------------------------------------------------------------------
# Customers are shopper profiles of the shopperdata app (see stores/tillapi/customers.py); rows here refer
# to them by id only, so this app's tables do not depend on that app's schema.


class Transaction(models.Model):
    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    customer_id = models.BigIntegerField()
    bill_number = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    points = models.PositiveIntegerField(default=0)
    store = models.ForeignKey(Store, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    till = models.ForeignKey(Till, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    api_client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
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
    till = models.ForeignKey(Till, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    api_client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
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
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="event_definition_unique_per_org")]

    def __str__(self):
        return self.name


class BehavioralEvent(models.Model):
    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    definition = models.ForeignKey(BehavioralEventDefinition, on_delete=models.CASCADE, related_name="events")
    customer_id = models.BigIntegerField(null=True, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    till = models.ForeignKey(Till, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    api_client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"{self.definition_id}@{self.created_at}"


# --- usage log -----------------------------------------------------------------------------------------


class UsageRecord(models.Model):
    """How often one caller made one kind of request on one day, and with what outcome.

    Written in batches from counters kept in memory (stores/enforcement/usage.py), never per request.
    """

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", "Allowed"
        DENIED = "denied", "Denied"
        WOULD_DENY = "would_deny", "Would deny (report-only)"

    class CallerKind(models.TextChoices):
        TILL = "till", "Till"
        CLIENT = "client", "API client"

    org = models.ForeignKey("accessadmin.Org", on_delete=models.CASCADE, related_name="+")
    caller_kind = models.CharField(max_length=10, choices=CallerKind.choices)
    caller = models.CharField(max_length=100, help_text="Till code or API client id.")
    store_code = models.CharField(max_length=50, blank=True)
    resource = models.CharField(max_length=50)
    api = models.CharField(max_length=10)
    method = models.CharField(max_length=10)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    access_group = models.CharField(max_length=100, blank=True)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "caller", "resource", "api", "method"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "caller_kind", "caller", "store_code", "resource", "api", "method", "outcome",
                        "access_group", "day"],
                name="usage_record_unique"),
        ]
        indexes = [models.Index(fields=["org", "day"]), models.Index(fields=["org", "store_code", "day"])]

    def __str__(self):
        return f"{self.caller} {self.method} {self.resource}/{self.api} {self.outcome} ×{self.count}"


class EnforcementState(models.Model):
    """A single row (pk 1): a token replaced whenever the API resource catalogue changes. The
    enforcement query reads it with the caller's row, so every process recompiles the catalogue's path
    patterns on its next request after a change, without a round trip to a shared cache."""

    catalogue_version = models.CharField(max_length=32, default="")

    def __str__(self):
        return self.catalogue_version
