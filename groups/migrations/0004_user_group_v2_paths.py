# The catalogue resource "User Groups" (data part) also maps the source platform's User Group v2 paths
# (/v2/userGroup2, /v2/userGroup2/**) and the group trackers (/v2/customers/userEntityTrackers), so the gateway
# check (/authz/check) judges them as User Groups. Adds only the patterns that are missing; staff edits stay.

from django.db import migrations

RESOURCE = "user_group"
PATTERNS = ["/v2/userGroup2", "/v2/userGroup2/**", "/v2/customers/userEntityTrackers"]


def add_patterns(apps, schema_editor):
    ApiResource = apps.get_model("groups", "ApiResource")
    resource = ApiResource.objects.filter(key=RESOURCE).first()
    if resource is None:
        return
    missing = [p for p in PATTERNS if p not in (resource.data_paths or [])]
    if missing:
        resource.data_paths = [*(resource.data_paths or []), *missing]
        resource.save(update_fields=["data_paths"])


def remove_patterns(apps, schema_editor):
    ApiResource = apps.get_model("groups", "ApiResource")
    resource = ApiResource.objects.filter(key=RESOURCE).first()
    if resource is not None:
        resource.data_paths = [p for p in resource.data_paths or [] if p not in PATTERNS]
        resource.save(update_fields=["data_paths"])


class Migration(migrations.Migration):
    dependencies = [("groups", "0003_group_store_counts")]
    operations = [migrations.RunPython(add_patterns, remove_patterns)]
