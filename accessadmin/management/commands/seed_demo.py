from accessadmin import demo, registry
from accessadmin.commands import AuditedCommand
from accessadmin.demo import DEMO_PASSWORD, DEMO_USERS


class Command(AuditedCommand):
    help = "Creates the demo orgs, users and data (idempotent)."

    def handle(self, *args, **options):
        orgs = demo.seed()
        for seed in registry.demo_seeders():
            seed(orgs=orgs)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password {DEMO_PASSWORD}):"))
        self.stdout.write("  platform        platform staff (Django admin at /admin/)")
        for username, org, roles, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:<15} {org}: {', '.join(roles)}")
        for line in registry.demo_notes():
            self.stdout.write(line)
