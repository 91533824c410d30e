"""Store codes become unique per org ignoring case (ACME-S001 beside acme-s001 is refused).

Before the constraint is added, existing rows are checked: if an org already holds two codes that differ only
in case, the migration stops and names them (rename one, e.g. in the Django admin, then migrate again) instead
of failing on an anonymous IntegrityError. The demo data has none."""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def refuse_clashes(apps, schema_editor):
    Store = apps.get_model("stores", "Store")
    clashes = list(Store.objects.annotate(lower=Lower("code")).values("org_id", "lower")
                   .annotate(n=Count("pk")).filter(n__gt=1).order_by("org_id", "lower")[:20])
    if clashes:
        named = []
        for clash in clashes:
            codes = Store.objects.filter(org_id=clash["org_id"], code__iexact=clash["lower"]).values_list(
                "code", flat=True)
            named.append(f"org {clash['org_id']}: {', '.join(sorted(codes))}")
        raise RuntimeError("Store codes that differ only in case must be renamed before this migration: "
                           + "; ".join(named))


class Migration(migrations.Migration):

    dependencies = [
        ("stores", "0006_store_list_order_index"),
    ]

    operations = [
        migrations.RunPython(refuse_clashes, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="store",
            name="store_code_unique_per_org",
        ),
        migrations.AddConstraint(
            model_name="store",
            constraint=models.UniqueConstraint(models.F("org"), django.db.models.functions.text.Lower("code"),
                                               name="store_code_unique_per_org_ci"),
        ),
    ]
