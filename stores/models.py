from django.db import models
from django.db.models.functions import Lower


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
        # Codes are unique per org ignoring case (ACME-S001 and acme-s001 are one store to people).
        constraints = [models.UniqueConstraint("org", Lower("code"), name="store_code_unique_per_org_ci")]
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
    # Last seen by method (to the minute), so brands can tell which tills still use Basic auth.
    basic_last_used_at = models.DateTimeField(null=True, blank=True)
    oauth_last_used_at = models.DateTimeField(null=True, blank=True)
    # OAuth2 client credentials bound to the till (stores/till_oauth.py); a token acts as the till.
    oauth_application = models.OneToOneField("oauth2_provider.Application", null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="till")

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
