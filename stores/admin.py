"""Stores, tills and API clients for platform staff. Secrets are never shown or edited here:
brands create, rotate and revoke them through the pages and the API."""

from collections import Counter

from django.contrib import admin

from accessadmin.admin_audit import AuditedModelAdmin
from groups import store_counts

from .models import ApiClient, Store, Till

_NEW = object()


def _deltas(group_ids) -> dict:
    """Returns {group id: −(stores of that group among `group_ids`)}."""
    return {g: -n for g, n in Counter(group_ids).items()}


@admin.register(Store)
class StoreAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "org", "city", "access_group")
    list_filter = ("org",)
    list_select_related = ("org", "access_group")
    search_fields = ("code", "name", "city")
    raw_id_fields = ("access_group",)

    # The per-group store counts (groups.store_counts) follow what staff change here too.
    def save_model(self, request, obj, form, change):
        before = (Store.objects.select_for_update().filter(pk=obj.pk).values_list("access_group_id", flat=True)
                  .first() if change else _NEW)
        super().save_model(request, obj, form, change)
        if before != obj.access_group_id:
            deltas = {obj.access_group_id: 1}
            if before is not _NEW:
                deltas[before] = -1
            store_counts.apply(org_id=obj.org_id, deltas=deltas)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        store_counts.apply(org_id=obj.org_id, deltas={obj.access_group_id: -1})

    def delete_queryset(self, request, queryset):
        gone = list(queryset.values_list("org_id", "access_group_id"))
        super().delete_queryset(request, queryset)
        for org_id in {org for org, _ in gone}:
            store_counts.apply(org_id=org_id, deltas=_deltas([g for o, g in gone if o == org_id]))


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
