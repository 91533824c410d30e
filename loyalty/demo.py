"""Demo behavioral event definitions of acme: visit and app_open."""

from django.db import transaction

from . import services
from .models import BehavioralEventDefinition

DEMO_EVENTS = [("visit", ["channel"]), ("app_open", ["platform"])]


@transaction.atomic
def seed(*, orgs) -> None:
    acme = orgs["acme"]
    for name, attributes in DEMO_EVENTS:
        if not BehavioralEventDefinition.objects.filter(org=acme, name=name).exists():
            services.event_definition_create(org=acme, name=name, attributes=attributes)
