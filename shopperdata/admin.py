"""Django admin of this app (platform staff)."""

from django.contrib import admin

from accessadmin.admin_audit import AuditedModelAdmin

from .models import Profile, PropertyDefinition


@admin.register(PropertyDefinition)
class PropertyDefinitionAdmin(AuditedModelAdmin):
    list_display = ("code", "org", "type", "builtin", "read_role", "read_access_right", "write_role",
                    "write_access_right")
    list_filter = ("org", "builtin", "type")
    list_select_related = ("org",)
    search_fields = ("code", "label")


@admin.register(Profile)
class ProfileAdmin(AuditedModelAdmin):
    # Staff see only ids here: property values are masked by the rules everywhere people read them.
    list_display = ("id", "org", "created_at", "updated_at")
    list_filter = ("org",)
    list_select_related = ("org",)
    fields = ("org", "created_at", "updated_at")
    readonly_fields = ("org", "created_at", "updated_at")

    def has_add_permission(self, request):
        return False
