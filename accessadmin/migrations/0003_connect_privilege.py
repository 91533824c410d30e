from django.db import migrations

# Copied values (not imported) so the migration keeps meaning what it meant when written.
CODE = "connectPrivilege"
NAME = "Connect+"
DESCRIPTION = "Connect+: SFTP connections, PGP keys, dataflows and their runs."
ROLE_CODE = "connectRole"


def create(apps, schema_editor):
    """Creates the privilege and gives every existing org the built-in role holding it, as new orgs get."""
    AccessRight = apps.get_model("accessadmin", "AccessRight")
    Org = apps.get_model("accessadmin", "Org")
    Role = apps.get_model("accessadmin", "Role")
    privilege, _ = AccessRight.objects.update_or_create(
        org=None, code=CODE, defaults={"name": NAME, "description": DESCRIPTION, "type": "privilege"})
    for org in Org.objects.all():
        if Role.objects.filter(org=org, code=ROLE_CODE).exists() or \
                Role.objects.filter(org=org, name__iexact=NAME).exists():
            continue
        role = Role.objects.create(org=org, code=ROLE_CODE, name=NAME, description=f"Holds the {NAME} privilege.")
        role.access_rights.add(privilege)


def remove(apps, schema_editor):
    apps.get_model("accessadmin", "Role").objects.filter(code=ROLE_CODE, name=NAME).delete()
    apps.get_model("accessadmin", "AccessRight").objects.filter(org=None, code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("accessadmin", "0002_builtin_privileges")]
    operations = [migrations.RunPython(create, remove)]
