"""Django admin writes are audited like every other door: `AuditedModelAdmin` is the base of every
ModelAdmin of the project. The event names the staff user who acted (not "system"), the fields that
changed with their values before and after (secrets only as "changed"), inline rows added, changed and
deleted, and deletions, in the org of the object when it has one."""

import re

from django.contrib import admin
from django.db.models import Model, QuerySet

from . import audit
from .audit import org_of
from .models import Org

SECRET = re.compile(r"password|secret|passphrase|encrypted|digest|token", re.IGNORECASE)


def shown(name: str, value):
    """Returns `value` as the audit log keeps it: secrets as "changed", rows by their name."""
    if SECRET.search(name):
        return "changed"
    if isinstance(value, QuerySet | list | tuple | set):
        return sorted(str(v) for v in value)
    if isinstance(value, Model):
        return str(value)
    return value


class AuditedModelAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        fields = [f for f in form.changed_data if f in form.fields]
        before = {f: shown(f, form.initial.get(f)) for f in fields} if change else None
        super().save_model(request, obj, form, change)
        after = {f: shown(f, form.cleaned_data.get(f)) for f in fields}
        audit.record(org=org_of(obj), actor=request.user, action="admin.change" if change else "admin.create",
                     target=obj, before=before, after=after)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        rows = {"added": [str(o) for o in formset.new_objects],
                "changed": [str(o) for o, _fields in formset.changed_objects],
                "deleted": [str(o) for o in formset.deleted_objects]}
        if any(rows.values()):
            name = formset.model._meta.verbose_name_plural
            audit.record(org=org_of(form.instance), actor=request.user, action="admin.change", target=form.instance,
                         after={str(name): {k: v for k, v in rows.items() if v}})

    def delete_model(self, request, obj):
        self._record_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._record_deletion(request, obj)
        super().delete_queryset(request, queryset)

    @staticmethod
    def _record_deletion(request, obj) -> None:
        # An org's own deletion is platform-wide: an event of the org would go with it.
        org = None if isinstance(obj, Org) else org_of(obj)
        audit.record(org=org, actor=request.user, action="admin.delete", target=obj, before={"deleted": str(obj)})
