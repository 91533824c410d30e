from django.db import migrations


def create(apps, schema_editor):
    # The shipped catalogue lives in one place (groups.builtins); it only ever adds missing rows.
    from groups.builtins import ensure_builtins

    ensure_builtins(apps)


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
