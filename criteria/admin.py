"""Django admin of this app (platform staff)."""

from django.contrib import admin

from accessadmin.admin_audit import AuditedModelAdmin

from .models import Catalog, PriceGroup, SecurityConstraint, SecurityCriterion


@admin.register(Catalog)
class CatalogAdmin(AuditedModelAdmin):
    list_display = ("code", "display_name", "org", "active")
    list_filter = ("org", "active")
    list_select_related = ("org",)
    search_fields = ("code", "display_name")


@admin.register(PriceGroup)
class PriceGroupAdmin(AuditedModelAdmin):
    list_display = ("code", "display_name", "currency", "org", "active")
    list_filter = ("org", "active")
    list_select_related = ("org",)
    search_fields = ("code", "display_name")


class ConstraintInline(admin.TabularInline):
    model = SecurityConstraint
    extra = 0


@admin.register(SecurityCriterion)
class SecurityCriterionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "resource", "constraint_type", "org")
    list_filter = ("org", "resource", "constraint_type")
    list_select_related = ("org",)
    search_fields = ("code", "name")
    inlines = [ConstraintInline]
