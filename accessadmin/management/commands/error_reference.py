from django.core.management.base import BaseCommand, CommandError

from accessadmin.error_reference import DOCS_PATH, render


class Command(BaseCommand):
    help = "Writes docs/errors.md, the reference of every error code, from the apps' error code enums."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail when docs/errors.md is not up to date.")

    def handle(self, *args, check=False, **options):
        text = render()
        if check:
            if not DOCS_PATH.exists() or DOCS_PATH.read_text() != text:
                raise CommandError(f"{DOCS_PATH} is out of date: run manage.py error_reference.")
            self.stdout.write(f"{DOCS_PATH} is up to date.")
            return
        DOCS_PATH.write_text(text)
        self.stdout.write(self.style.SUCCESS(f"Wrote {DOCS_PATH}."))
