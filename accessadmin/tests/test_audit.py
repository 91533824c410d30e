"""Every write is audited with who made it, whatever the door: pages and APIs (a user), the Django admin
(the staff user, never "system"), management commands (the command), background tasks (the task and the
person who started it), and system writes with no door (the system)."""

import pytest
from django.core.management import call_command

from accessadmin import audit, services
from accessadmin.commands import AuditedCommand
from accessadmin.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


def _who(event) -> tuple:
    return event.actor_kind, event.actor_label, event.actor, event.actor_repr


def test_a_user_a_system_write_and_the_door_around_it(acme, acme_admin):
    role = services.role_create(actor=acme_admin, org=acme, name="Auditors")
    assert _who(AuditEvent.objects.get(action="role.create", target_id=str(role.pk))) == (
        "user", "", acme_admin, "acme-admin")
    event = audit.record(org=acme, actor=None, action="test.system", target=None)
    assert _who(event) == ("system", "", None, "system")
    with audit.acting_as(audit.Actor.command("import_roles")):
        assert _who(audit.record(org=acme, actor=None, action="test.command", target=None)) == (
            "command", "import_roles", None, "command:import_roles")
        # A person the service was told about wins over the door.
        assert _who(audit.record(org=acme, actor=acme_admin, action="test.person", target=None))[0] == "user"
    assert audit.current_actor() is None


class _Command(AuditedCommand):
    help = "Creates an org (a command of this test)."

    def handle(self, *args, **options):
        services.org_create(actor=None, code="initech", name="Initech")


def test_a_management_command_writes_as_the_command(db):
    call_command(_Command())
    event = AuditEvent.objects.get(action="org.create")
    assert _who(event) == ("command", "test_audit", None, "command:test_audit")


def test_a_background_task_writes_as_the_task_and_the_person_who_started_it(acme, acme_admin):
    passed_on = []

    @audit.task("roles.rename")
    def rename(role_id: int, name: str) -> None:
        role = Role.objects.get(pk=role_id)
        services.role_update(actor=acme_admin, role=role, name=name)  # a person given: recorded as such
        audit.record(org=acme, actor=None, action="roles.renamed", target=role, after={"name": name})
        passed_on.append(audit.started_by_id())  # what the task would pass on to the tasks it queues

    role = services.role_create(actor=acme_admin, org=acme, name="Clerks")
    rename(role.pk, "Clerks 2", started_by_id=acme_admin.pk)
    assert _who(AuditEvent.objects.get(action="roles.renamed")) == (
        "task", "roles.rename", acme_admin, "task:roles.rename (acme-admin)")
    rename(role.pk, "Clerks 3")  # queued by the schedule: nobody started it
    assert _who(AuditEvent.objects.filter(action="roles.renamed").first()) == (
        "task", "roles.rename", None, "task:roles.rename")
    assert passed_on == [acme_admin.pk, None]


def test_django_admin_writes_show_the_staff_user(acme, acme_admin, platform_staff, pages):
    role = services.role_create(actor=acme_admin, org=acme, name="Clerks", description="Front desk")
    admin = pages(platform_staff)
    response = admin.post(f"/admin/accessadmin/role/{role.pk}/change/", {
        "org": acme.pk, "code": role.code, "name": "Cashiers", "description": "Front desk"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.change")
    assert (event.org, _who(event), event.target_type, event.target_id) == (
        acme, ("user", "", platform_staff, "platform"), "accessadmin.role", str(role.pk))
    assert (event.before, event.after) == ({"name": "Clerks"}, {"name": "Cashiers"})
    # The org's audit log names the staff user, not "system", and the action in words.
    page = pages(acme_admin).get("/audit/?type=accessadmin.role").content.decode()
    assert "<td>Admin: change</td>" in page and "<td>platform</td>" in page

    response = admin.post(f"/admin/accessadmin/user/{acme_admin.pk}/password/",
                          {"password1": "a-new-password-2026", "password2": "a-new-password-2026"})
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="admin.change", target_type="accessadmin.user").after == {
        "password": "changed"}

    response = admin.post(f"/admin/accessadmin/role/{role.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Role.objects.filter(pk=role.pk).exists()
    event = AuditEvent.objects.get(action="admin.delete")
    assert (event.org, event.actor, event.before) == (acme, platform_staff, {"deleted": "Cashiers"})
