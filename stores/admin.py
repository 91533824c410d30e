"""Stores, tills and API clients for platform staff. Secrets are never shown or edited here:
brands create, rotate and revoke them through the pages and the API."""

from django.contrib import admin

from accessadmin.admin_audit import AuditedModelAdmin

from .models import ApiClient, Store, Till


@admin.register(Store)
class StoreAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "org", "city", "access_group")
    list_filter = ("org",)
    list_select_related = ("org", "access_group")
    search_fields = ("code", "name", "city")
    raw_id_fields = ("access_group",)


@admin.register(Till)
class TillAdmin(AuditedModelAdmin):
    list_display = ("code", "org", "store", "is_active", "last_used_at")
    list_filter = ("org", "is_active")
    list_select_related = ("org", "store")
    search_fields = ("code",)
    exclude = ("secret_hash",)
    readonly_fields = ("org", "store", "code", "created_at", "updated_at", "secret_rotated_at", "last_used_at")

    def has_add_permission(self, request):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(AuditedModelAdmin):
    list_display = ("name", "org", "client_id", "access_group", "is_active", "created_at")
    list_filter = ("org", "is_active")
    list_select_related = ("org", "access_group")
    readonly_fields = ("org", "name", "application", "client_id", "access_group", "created_at", "created_by",
                       "revoked_at", "is_active")

    def has_add_permission(self, request):
        return False
