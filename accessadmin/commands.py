"""The base of the project's management commands that write."""

from django.core.management.base import BaseCommand

from . import audit


class AuditedCommand(BaseCommand):
    """What the command writes is audited as the command (`command:<name>`), unless a service was given a
    person to record."""

    def execute(self, *args, **options):
        name = type(self).__module__.rsplit(".", 1)[-1]
        with audit.acting_as(audit.Actor.command(name)):
            return super().execute(*args, **options)
