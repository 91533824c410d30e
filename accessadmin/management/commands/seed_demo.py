from django.core.management.base import BaseCommand

from accessadmin import demo
from accessadmin.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Creates the demo orgs, users and data (idempotent)."

    def handle(self, *args, **options):
        orgs = demo.seed()
        for app_demo in self._app_demos():
            app_demo.seed(orgs=orgs)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password {DEMO_PASSWORD}):"))
        self.stdout.write("  platform        platform staff (Django admin at /admin/)")
        for username, org, roles, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:<15} {org}: {', '.join(roles)}")
        self.stdout.write("Till API (http://127.0.0.1:8000/v2/...):")
        self.stdout.write("  tills acme-s001-t1 … acme-s040-t2, Basic auth secret till-secret-2026")
        self.stdout.write("  API client \"Demo ERP\" (POS group): client secret demo-client-secret-2026, "
                          "client id on the API clients page")
        self.stdout.write("Connect+: acme's dataflow \"Exports to partner\" (Run now as acme-admin) moves "
                          "var/sftp-demo/exports/out/ to var/sftp-demo/partner/inbox/, encrypted to "
                          "connect/demo_keys/partner-demo-public.asc")

    def _app_demos(self):
        """The apps' demo modules, in dependency order (stores need groups, tills need stores)."""
        import importlib

        modules = []
        for name in ("groups.demo", "stores.demo", "shopperdata.demo", "criteria.demo", "connect.demo"):
            try:
                modules.append(importlib.import_module(name))
            except ModuleNotFoundError as e:
                if e.name != name:
                    raise
        return modules
