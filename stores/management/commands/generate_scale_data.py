"""`manage.py generate_scale_data --org scale --groups 10000 --stores 100000 --tills 20000`: a new org of the
given size, for benchmarks and for trying the pages at scale (`make bench` builds one in a throwaway
database).

Groups get one permission cell each; stores are spread over the groups unevenly (a few groups hold many
stores, most hold few, about a quarter of the stores have none and follow the default); the first stores
get one till each, all with the secret printed at the end. Rows go in with COPY on PostgreSQL (100,000
stores in a few seconds), bulk INSERTs elsewhere; the per-group store counts are then counted once.
"""

import random

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from accessadmin import audit
from accessadmin.commands import AuditedCommand
from accessadmin.models import Org
from accessadmin.services import org_create
from groups.models import AccessGroup, ApiResource, PermissionCell
from stores import credentials, services
from stores.models import Store, Till

TILL_SECRET = "scale-till-secret-2026"


def _insert(model, columns: list[str], rows) -> None:
    """Inserts `rows` (tuples in `columns` order) into `model`'s table: COPY on PostgreSQL."""
    if connection.vendor == "postgresql":
        names = ", ".join(model._meta.get_field(c).column for c in columns)
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    batch = []
    for row in rows:
        batch.append(model(**dict(zip((model._meta.get_field(c).attname for c in columns), row, strict=True))))
        if len(batch) == 5000:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


class Command(AuditedCommand):
    help = "Creates an org with many access groups, stores and tills (benchmarks, trying the pages at scale)."

    def add_arguments(self, parser):
        parser.add_argument("--org", default="scale", help="Code of the new org (it must not exist).")
        parser.add_argument("--groups", type=int, default=10_000)
        parser.add_argument("--stores", type=int, default=100_000)
        parser.add_argument("--tills", type=int, default=20_000, help="One till for each of the first N stores.")
        parser.add_argument("--ungrouped", type=float, default=0.25,
                            help="Share of the stores with no group (they follow the default).")
        parser.add_argument("--seed", type=int, default=15)

    @transaction.atomic
    def handle(self, *args, org, groups, stores, tills, ungrouped, seed, **options):
        if Org.objects.filter(code=org).exists():
            raise CommandError(f"Org {org!r} exists; choose another --org.")
        if groups < 1 or stores < 0 or not 0 <= tills <= stores or not 0 <= ungrouped <= 1:
            raise CommandError("Need --groups ≥ 1, 0 ≤ --tills ≤ --stores and 0 ≤ --ungrouped ≤ 1.")
        rng = random.Random(seed)
        now = timezone.now()
        the_org = org_create(actor=None, code=org, name=f"{org.title()} (generated)")

        _insert(AccessGroup, ["org", "name", "description", "is_active", "grants_all", "created_at", "updated_at"],
                ((the_org.pk, f"Group {i:05d}", f"Generated group {i}", i % 50 != 49, False, now, now)
                 for i in range(groups)))
        group_ids = list(AccessGroup.objects.filter(org=the_org).order_by("pk").values_list("pk", flat=True))
        active_ids = list(AccessGroup.objects.filter(org=the_org, is_active=True).order_by("pk")
                          .values_list("pk", flat=True))
        customer = ApiResource.objects.filter(key="customer").values_list("pk", flat=True).first()
        if customer is not None:
            _insert(PermissionCell, ["group", "resource", "api", "read", "write"],
                    ((g, customer, "data", True, g % 2 == 0) for g in group_ids))

        def group_of(_i):
            if rng.random() < ungrouped:
                return None
            # Uneven: the square of a uniform draw favours the first groups (a few big, most small).
            return active_ids[int(len(active_ids) * rng.random() ** 2)]

        _insert(Store, ["org", "code", "name", "city", "access_group", "created_at", "updated_at"],
                ((the_org.pk, f"{org}-s{i:06d}", f"Store {i}", ("Oslo", "Lyon", "Porto", "Graz")[i % 4],
                  group_of(i), now, now) for i in range(stores)))
        if tills:
            secret_hash = credentials.hash_secret(TILL_SECRET)  # one slow hash for every till
            store_ids = list(Store.objects.filter(org=the_org).order_by("code").values_list("pk", "code")[:tills])
            _insert(Till, ["org", "store", "code", "secret_hash", "is_active", "created_at", "updated_at"],
                    ((the_org.pk, pk, f"{code}-t1", secret_hash, True, now, now) for pk, code in store_ids))
        services.store_counts_check(org=the_org, repair=True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (AccessGroup, PermissionCell, Store, Till):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        audit.record(org=the_org, actor=None, action="org.generate", target=the_org,
                     after={"groups": groups, "stores": stores, "tills": tills})
        self.stdout.write(self.style.SUCCESS(
            f"Org {org}: {groups:,} groups, {stores:,} stores, {tills:,} tills (Basic secret {TILL_SECRET})."))
