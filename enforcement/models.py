"""Enforcement's own rows: the usage log and the catalogue version token.

The tables were created by the stores app and keep their names (`Meta.db_table`): the models moved
here without moving a row (migrations/0001_initial.py).
"""

from django.db import models


class UsageRecord(models.Model):
    """How often one caller made one kind of request on one day, and with what outcome.

    Written in batches from counters kept in memory (enforcement/usage.py), never per request.
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
        db_table = "stores_usagerecord"
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

    class Meta:
        db_table = "stores_enforcementstate"

    def __str__(self):
        return self.catalogue_version
