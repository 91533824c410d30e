"""manage.py rollout_plan --org <code> [--org <code> …] [--days N] [--apply]: platform staff plan (and apply)
the rollout of access groups for many orgs; each org is its own plan, in its own transaction."""

from django.core.management.base import CommandError

from accessadmin.commands import AuditedCommand
from accessadmin.errors import AppError
from accessadmin.models import Org

from ... import services


class Command(AuditedCommand):
    help = "Makes a rollout plan from each org's usage (and applies it with --apply)."

    def add_arguments(self, parser):
        parser.add_argument("--org", action="append", required=True, dest="orgs", help="Org code (repeatable).")
        parser.add_argument("--days", type=int, default=30, help="Usage of the last N days (1–90, default 30).")
        parser.add_argument("--apply", action="store_true", help="Apply each plan once it is made.")

    def handle(self, *args, orgs, days, apply, **options):
        found = {org.code: org for org in Org.objects.filter(code__in=orgs)}
        missing = [code for code in orgs if code not in found]
        if missing:
            raise CommandError(f"Unknown org: {', '.join(missing)}")
        failed = 0
        for code in dict.fromkeys(orgs):
            org = found[code]
            try:
                plan = services.plan_create(actor=None, org=org, days=days)
                line = (f"{code}: plan #{plan.pk}: {plan.groups.count()} groups for {plan.stores_with_usage} of "
                        f"{plan.store_total} stores and {plan.clients_with_usage} API clients, "
                        f"{plan.would_deny_count} would-deny requests")
                if apply:
                    services.plan_apply(actor=None, org=org, plan=plan)
                    line += "; applied"
                self.stdout.write(line)
            except AppError as e:
                failed += 1
                self.stderr.write(f"{code}: {e.code}: {e.message}")
        if failed:
            raise CommandError(f"{failed} org(s) failed.")
