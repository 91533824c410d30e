from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import audit, services
from .admin_audit import AuditedModelAdmin
from .models import AccessRight, AuditEvent, Org, Role, User
from .policies import is_platform_staff


@admin.register(Org)
class OrgAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "enforcement_mode", "basic_auth_enabled", "created_at")
    search_fields = ("code", "name")


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    list_display = ("username", "org", "email", "is_active", "is_staff")
    list_filter = ("org", "is_active", "is_staff")
    list_select_related = ("org",)
    fieldsets = BaseUserAdmin.fieldsets + (("Organization", {"fields": ("org", "roles")}),)
    filter_horizontal = ("roles", "groups", "user_permissions")

    # Adding a user here makes an org-less (platform) user, and the username may be changed here: both are
    # for platform staff, the only ones whose names are not bound to an org's namespace.
    def has_add_permission(self, request):
        return is_platform_staff(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_platform_staff(request.user) and super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # saved: the admin redirects
            user = User.objects.get(pk=id)
            audit.record(org=user.org, actor=request.user, action="admin.change", target=user,
                         after={"password": "changed"})
        return response

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if change and services.user_loses_access(
                was_active=bool(form.initial.get("is_active")), had_roles=bool(form.initial.get("roles")),
                is_active=user.is_active, has_roles=user.roles.exists()):
            services.user_end_sessions(user=user)


@admin.register(Role)
class RoleAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "org")
    list_filter = ("org",)
    list_select_related = ("org",)
    search_fields = ("code", "name")
    filter_horizontal = ("access_rights",)


@admin.register(AccessRight)
class AccessRightAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "type", "org")
    list_filter = ("type", "org")
    list_select_related = ("org",)


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedModelAdmin):
    list_display = ("created_at", "org", "actor_repr", "action", "target_repr")
    list_filter = ("org", "action")
    list_select_related = ("org",)
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
