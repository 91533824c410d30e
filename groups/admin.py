"""Platform staff keep the API resource catalogue and the built-in groups here."""

from django import forms
from django.contrib import admin

from accessadmin.admin_audit import AuditedModelAdmin

from .models import AccessGroup, ApiResource, DefaultAccessGroup, PermissionCell


def _check_patterns(value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise forms.ValidationError("A list of path patterns, e.g. [\"/v2/customers\", \"/v2/customers/*\"].")
    for pattern in value:
        segments = pattern.split("/")
        if not pattern.startswith("/") or "**" in segments[:-1] or any(
                ("*" in s and s not in ("*", "**")) for s in segments):
            raise forms.ValidationError(
                f"{pattern!r}: start with /, use * for one segment and ** only as the last segment.")
    return value


class ApiResourceForm(forms.ModelForm):
    class Meta:
        model = ApiResource
        fields = ["key", "name", "description", "position", "data_paths", "config_paths"]

    def clean_data_paths(self):
        return _check_patterns(self.cleaned_data["data_paths"])

    def clean_config_paths(self):
        return _check_patterns(self.cleaned_data["config_paths"])


@admin.register(ApiResource)
class ApiResourceAdmin(AuditedModelAdmin):
    form = ApiResourceForm
    list_display = ("key", "name", "position", "data_paths", "config_paths")
    ordering = ("position",)


class PermissionCellInline(admin.TabularInline):
    model = PermissionCell
    extra = 0


@admin.register(AccessGroup)
class AccessGroupAdmin(AuditedModelAdmin):
    list_display = ("name", "org", "is_active", "grants_all", "updated_at")
    list_filter = ("is_active", ("org", admin.EmptyFieldListFilter))
    list_select_related = ("org",)
    search_fields = ("name", "description")
    inlines = [PermissionCellInline]
    raw_id_fields = ("created_by", "updated_by")


@admin.register(DefaultAccessGroup)
class DefaultAccessGroupAdmin(AuditedModelAdmin):
    list_display = ("org", "group", "updated_at")
    list_select_related = ("org", "group")
