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
