from django.db import migrations

# Copied values (not imported) so the migration keeps meaning what it meant when written.
PRIVILEGES = (
    ("piiDeletionPrivilege", "PII deletion",
     "Raising and cancelling requests to delete a customer's personal data.", "piiDeletionRole"),
    ("piiApprovalPrivilege", "PII deletion approval",
     "Approving or rejecting requests to delete a customer's personal data.", "piiApprovalRole"),
)


def create(apps, schema_editor):
    """Creates the two privileges and gives every existing org the built-in roles holding them, as new orgs get."""
    AccessRight = apps.get_model("accessadmin", "AccessRight")
    Org = apps.get_model("accessadmin", "Org")
    Role = apps.get_model("accessadmin", "Role")
    for code, name, description, role_code in PRIVILEGES:
        privilege, _ = AccessRight.objects.update_or_create(
            org=None, code=code, defaults={"name": name, "description": description, "type": "privilege"})
        for org in Org.objects.all():
            if Role.objects.filter(org=org, code=role_code).exists() or \
                    Role.objects.filter(org=org, name__iexact=name).exists():
                continue
            role = Role.objects.create(org=org, code=role_code, name=name, description=f"Holds the {name} privilege.")
            role.access_rights.add(privilege)


def remove(apps, schema_editor):
    for code, name, _description, role_code in PRIVILEGES:
        apps.get_model("accessadmin", "Role").objects.filter(code=role_code, name=name).delete()
        apps.get_model("accessadmin", "AccessRight").objects.filter(org=None, code=code).delete()


class Migration(migrations.Migration):
    dependencies = [("accessadmin", "0004_credential_stamp")]
    operations = [migrations.RunPython(create, remove)]
