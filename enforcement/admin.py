"""The usage log for platform staff, read-only."""

from django.contrib import admin

from accessadmin.admin_audit import AuditedModelAdmin

from .models import UsageRecord


@admin.register(UsageRecord)
class UsageRecordAdmin(AuditedModelAdmin):
    list_display = ("day", "org", "caller", "method", "resource", "api", "outcome", "count")
    list_filter = ("org", "outcome", "day")
    list_select_related = ("org",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
