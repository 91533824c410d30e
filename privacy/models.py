"""Privacy settings of an org and its requests to delete a customer's personal data (DESIGN §11)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accessadmin.models import Org

COMMENTS_MAX_LENGTH = 255
WAITING_PERIOD_MAX_DAYS = 90


class PrivacySettings(models.Model):
    """One row per org; an org without a row has the defaults below."""

    org = models.OneToOneField(Org, on_delete=models.CASCADE, related_name="privacy_settings")
    deletion_enabled = models.BooleanField(default=False)
    waiting_period_days = models.PositiveSmallIntegerField(default=30)
    approval_required = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Privacy settings of {self.org_id}"


class Status(models.TextChoices):
    PENDING_APPROVAL = "PENDING_APPROVAL", "Pending approval"
    APPROVED = "APPROVED", "Approved"
    COMPLETED = "COMPLETED", "Completed"
    REJECTED = "REJECTED", "Rejected"
    CANCELLED = "CANCELLED", "Cancelled"
    FAILED = "FAILED", "Failed"


# A customer has at most one request in these states (FAILED is retried, so it stays open).
OPEN_STATUSES = (Status.PENDING_APPROVAL, Status.APPROVED, Status.FAILED)


class Source(models.TextChoices):
    INSTORE = "INSTORE", "Till API"
    ADMIN_API = "ADMIN_API", "Admin API"
    PAGE = "PAGE", "Profile page"
    BULK = "BULK", "Bulk file"
    CONNECT = "CONNECT", "Connect+"


class IdentifierType(models.TextChoices):
    MOBILE = "mobile", "mobile"
    EMAIL = "email", "email"
    EXTERNAL_ID = "externalId", "externalId"
    ID = "id", "id"


class DeletionRequest(models.Model):
    """A request to erase one customer's personal data.

    `raised_by_key` / `decided_by_key` name the principal ("user:7", "till:3",
    "client:2", "connect:5"): a user, a till or an API client of the till API,
    or a Connect+ dataflow. Maker-checker compares these keys.
    """

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="deletion_requests")
    customer = models.ForeignKey("shopperdata.Profile", on_delete=models.PROTECT, related_name="deletion_requests")
    status = models.CharField(max_length=20, choices=Status.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    identifier_type = models.CharField(max_length=20, choices=IdentifierType.choices, default=IdentifierType.ID)
    comments = models.CharField(max_length=COMMENTS_MAX_LENGTH, blank=True, default="")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    raised_by_key = models.CharField(max_length=50)
    raised_by_repr = models.CharField(max_length=200, blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_by_key = models.CharField(max_length=50, blank=True, default="")
    decided_by_repr = models.CharField(max_length=200, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=COMMENTS_MAX_LENGTH, blank=True, default="")
    due_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.CharField(max_length=500, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Race-safe "one open request per customer": the second insert fails and the service returns the first.
            models.UniqueConstraint(fields=["customer"], condition=Q(status__in=OPEN_STATUSES),
                                    name="deletion_request_one_open_per_customer"),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="deletion_request_due"),
            models.Index(fields=["org", "status", "created_at"], name="deletion_request_org_status"),
        ]

    def __str__(self):
        return f"Deletion request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
