from django.db import migrations

# Copied values (not imported) so the migration keeps meaning what it meant when written.
PRIVILEGES = [
    ("ora.adminPrivilege", "Administrator", "Everything in the organization."),
    ("ora.catalogPrivilege", "Catalog", "Catalogs and price groups, limited by security criteria."),
    ("ora.csAgentPrivilege", "CS Agent", "Searching, viewing and editing shopper profiles."),
    ("accessControlPrivilege", "Access control", "Access groups, stores, tills and API clients."),
]


def create(apps, schema_editor):
    AccessRight = apps.get_model("accessadmin", "AccessRight")
    for code, name, description in PRIVILEGES:
        AccessRight.objects.update_or_create(
            org=None, code=code, defaults={"name": name, "description": description, "type": "privilege"}
        )


def remove(apps, schema_editor):
    apps.get_model("accessadmin", "AccessRight").objects.filter(
        org=None, code__in=[p[0] for p in PRIVILEGES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("accessadmin", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
