from django.apps import AppConfig


class AccessadminConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accessadmin"
    verbose_name = "accessadmin core"

    def ready(self):
        from . import registry, surfaces
        from .api import schema  # (also registers the OpenAPI auth extensions)
        from .api.exceptions import api_body, ccadmin_body, oauth_body

        surfaces.register("/api/v1/", api_body, schema_name="ApiError", schema=schema.API_ERROR, always=(400,))
        surfaces.register("/ccadmin/v1/", ccadmin_body, schema_name="CcadminError", schema=schema.CCADMIN_ERROR,
                          always=(400,))
        surfaces.register("/oauth/", oauth_body)
        self._register(registry)

    def _register(self, registry):
        from . import policies, search, selectors
        from .errors import CoreErrorCode

        registry.register_nav_section("Administration", order=90)
        registry.register_nav(
            registry.NavLink("Administration", "Users", "users:list", policies.can_manage_identity, order=10),
            registry.NavLink("Administration", "Roles", "roles:list", policies.can_manage_identity, order=20),
            registry.NavLink("Administration", "Access rights", "access-rights:list", policies.can_manage_identity,
                             order=30),
            registry.NavLink("Administration", "Audit log", "audit-log", policies.can_view_audit, order=40),
        )
        registry.register_dashboard(
            registry.DashboardTile("Users", "users:list", policies.can_manage_identity, selectors.user_count, order=0),
            registry.DashboardTile("Roles", "roles:list", policies.can_manage_identity, selectors.role_count, order=1),
        )
        for target_type, label in (("accessadmin.org", "Organization"), ("accessadmin.user", "User"),
                                   ("accessadmin.role", "Role"), ("accessadmin.accessright", "Access right")):
            registry.register_audit_type(target_type, label)
        for action, label in (("org.create", "Organization created"), ("user.create", "User created"),
                              ("user.update", "User changed"), ("role.create", "Role created"),
                              ("role.update", "Role changed"), ("access_right.create", "Access right created"),
                              ("access_right.update", "Access right changed")):
            registry.register_audit_action(action, label)
        registry.register_search(registry.SearchProvider("user", "Users", search.users, order=90,
                                                          policy=policies.can_manage_identity))
        registry.register_error_codes(CoreErrorCode)
