"""Shopper type properties and shopper profiles, per org.

The only shopper type is `user` (as in the source platform). Its properties are
rows of PropertyDefinition: the built-in ones (created per org by
builtins.ensure_builtin_properties) and the custom ones an org adds.

A Profile keeps the properties other apps look customers up by (email, mobile,
first and last name) in real, indexed columns, and every other property value
in `properties` (a JSON object keyed by property id).
"""

from django.db import models
from django.db.models import Q

from accessadmin.models import Org

USER_SHOPPER_TYPE = "user"


class SecurityLevel(models.TextChoices):
    IGNORE = "ignore", "ignore"
    DENY = "deny", "deny"


class PropertyDefinition(models.Model):
    """One property of a shopper type of one org, with its access attributes.

    readRole / writeRole hold a Role id of the org, readAccessRight /
    writeAccessRight an AccessRight id (built-in or the org's); all four null
    means every signed-in internal user may read and write the property.
    """

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="shopper_properties")
    shopper_type = models.CharField(max_length=50, default=USER_SHOPPER_TYPE)
    code = models.CharField("id", max_length=100)
    builtin = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    type = models.CharField(max_length=20)
    item_type = models.CharField(max_length=50, null=True, blank=True,
                                 help_text="Element type of an array, or the type a reference points to.")
    label = models.CharField(max_length=200)
    length = models.PositiveIntegerField(null=True, blank=True)
    required = models.BooleanField(default=False)
    default = models.JSONField(null=True, blank=True)
    values = models.JSONField(default=list, blank=True, help_text="Enumerated values: [{value, label}].")
    multi_select = models.BooleanField(null=True, blank=True)

    read_role = models.CharField(max_length=100, null=True, blank=True)
    write_role = models.CharField(max_length=100, null=True, blank=True)
    read_access_right = models.CharField(max_length=100, null=True, blank=True)
    write_access_right = models.CharField(max_length=100, null=True, blank=True)
    read_security_level = models.CharField(max_length=10, choices=SecurityLevel.choices, null=True, blank=True)
    write_security_level = models.CharField(max_length=10, choices=SecurityLevel.choices, null=True, blank=True)
    security_masking_value = models.JSONField(null=True, blank=True)

    shopper_readable = models.BooleanField(default=True)
    shopper_writeable = models.BooleanField(default=True)
    internal_only = models.BooleanField(default=False)
    searchable = models.BooleanField(default=False)
    # Personal data: erased when the customer's data is deleted (privacy app). Built-ins per builtins.py.
    pii = models.BooleanField(default=False)
    text_searchable = models.BooleanField(default=False)
    writable = models.BooleanField(default=True)
    localizable = models.BooleanField(default=False)
    dimension = models.BooleanField(default=False)
    audience_visibility = models.CharField(max_length=50, null=True, blank=True)
    ui_editor_type = models.CharField(max_length=50, null=True, blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["org", "shopper_type", "code"], name="shopper_property_unique_per_org"),
        ]

    def __str__(self):
        return f"{self.shopper_type}.{self.code}"

    @property
    def custom(self) -> bool:
        return not self.builtin

    @property
    def read_restricted(self) -> bool:
        return bool(self.read_role or self.read_access_right)

    @property
    def write_restricted(self) -> bool:
        return bool(self.write_role or self.write_access_right)


class Profile(models.Model):
    """A shopper of one org. See the module docstring for where each property value lives."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="shopper_profiles")
    email = models.CharField(max_length=254, null=True, blank=True, help_text="Stored lowercased.")
    mobile = models.CharField(max_length=32, null=True, blank=True, help_text="Digits, optionally a leading +.")
    first_name = models.CharField(max_length=254, null=True, blank=True)
    last_name = models.CharField(max_length=254, null=True, blank=True)
    external_id = models.CharField(max_length=100, null=True, blank=True,
                                   help_text="The brand's own id of the customer (an identifier, so PII).")
    properties = models.JSONField(default=dict, blank=True)
    # Set by the privacy app: a deletion request is open / the personal data was erased at this time.
    deletion_pending = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "email"], condition=Q(email__isnull=False),
                                    name="profile_email_unique_per_org"),
            models.UniqueConstraint(fields=["org", "mobile"], condition=Q(mobile__isnull=False),
                                    name="profile_mobile_unique_per_org"),
            models.UniqueConstraint(fields=["org", "external_id"], condition=Q(external_id__isnull=False),
                                    name="profile_external_id_unique_per_org"),
        ]
        indexes = [
            models.Index(fields=["org", "last_name", "first_name"], name="profile_org_last_first"),
            models.Index(fields=["org", "first_name"], name="profile_org_first"),
        ]

    def __str__(self):
        # Deliberately no name or email: str() ends up in audit rows and logs.
        return f"Profile {self.pk}"
