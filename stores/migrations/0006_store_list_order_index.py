"""An index in the store list's default order (lower(code), then id, within an org), so its first and deep
pages walk an index instead of sorting every store of the org (100,000 stores: ~180 ms → <1 ms for the
first page). PostgreSQL needs the NULLS FIRST the list asks for (accessadmin.lists sorts blanks first on
both databases); SQLite sorts NULLs first anyway and has no such clause. Not in the model's Meta: Django
cannot declare the ordering of an expression's NULLs portably."""

from django.db import migrations

NAME = "store_org_lower_code_id"


def create(apps, schema_editor):
    nulls = " NULLS FIRST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON stores_store (org_id, lower(code) ASC{nulls}, id)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("stores", "0005_till_oauth_and_last_seen_by_method"),
    ]

    operations = [migrations.RunPython(create, drop)]
