"""`manage.py store_counts [--repair] [--org CODE ...]`: compares the kept store count of every group
(groups.store_counts) with a real count of the stores; exits 1 when one differs and --repair was not given."""

from django.core.management.base import CommandError

from accessadmin.commands import AuditedCommand
from accessadmin.models import Org
from stores import services


class Command(AuditedCommand):
    help = "Checks (or with --repair, rebuilds) the per-group store counts against the stores."

    def add_arguments(self, parser):
        parser.add_argument("--org", action="append", default=[], help="Org code (repeatable); default: every org.")
        parser.add_argument("--repair", action="store_true", help="Set the kept counts to the real ones.")

    def handle(self, *args, org, repair, **options):
        orgs = Org.objects.order_by("code")
        if org:
            orgs = orgs.filter(code__in=org)
            if orgs.count() != len(set(org)):
                raise CommandError(f"Unknown org among {', '.join(org)}.")
        wrong = 0
        for o in orgs:
            diff = services.store_counts_check(org=o, repair=repair)
            for group_id, delta in sorted(diff.items(), key=lambda item: (item[0] is not None, item[0] or 0)):
                wrong += 1
                what = f"group {group_id}" if group_id is not None else "no group"
                self.stdout.write(f"{o.code}: {what}: kept count off by {delta:+d}{' (repaired)' if repair else ''}")
        if wrong and not repair:
            raise CommandError(f"{wrong} store count(s) differ from the stores; run with --repair.")
        self.stdout.write(self.style.SUCCESS(f"{'Repaired' if repair else 'Checked'} store counts: "
                                             f"{wrong} differed."))
