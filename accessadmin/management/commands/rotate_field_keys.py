from django.db import transaction

from accessadmin import audit, crypto
from accessadmin.commands import AuditedCommand


class Command(AuditedCommand):
    help = ("Re-encrypts every stored secret with the first key of FIELD_ENCRYPTION_KEYS, "
            "so older keys can be removed afterwards.")

    def handle(self, *args, **options):
        total = 0
        for entry in crypto.registered():
            changed = 0
            # One row at a time under a row lock, so a concurrent edit is never overwritten with an old value.
            for pk in entry.model.objects.values_list("pk", flat=True).iterator():
                with transaction.atomic():
                    row = entry.model.objects.select_for_update().filter(pk=pk).first()
                    if row is None:
                        continue
                    updates = {}
                    for field in entry.fields:
                        token = getattr(row, field)
                        if token:
                            updates[field] = crypto.rotate(token)
                    if updates:
                        entry.model.objects.filter(pk=pk).update(**updates)
                        audit.record(org=audit.org_of(row), actor=None, action="secret.rotate", target=row,
                                     after={"fields": sorted(updates)})
                        changed += 1
            total += changed
            self.stdout.write(f"{entry.model._meta.label}: {changed} row(s) re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} row(s) re-encrypted with the first key."))
