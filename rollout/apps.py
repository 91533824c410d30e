from django.apps import AppConfig

ACCESS_CONTROL = "Access control"  # the section the groups app opens


class RolloutConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rollout"
    verbose_name = "rollout"

    def ready(self):
        from accessadmin import registry

        from . import policies, views
        from .errors import RolloutErrorCode

        registry.register_error_codes(RolloutErrorCode)
        registry.register_urls(registry.Mount.PAGES, "rollout.urls", prefix="rollout/", namespace="rollout")
        registry.register_urls(registry.Mount.API_V1, "rollout.api.urls")
        registry.register_nav_section(ACCESS_CONTROL, order=10)
        registry.register_nav(
            registry.NavLink(ACCESS_CONTROL, "Rollout", "rollout:list", policies.can_plan_rollout, order=75))
        # The org's enforcement page shows the path report-only → usage → plan → apply → enforce.
        registry.register_section("enforcement.settings", views.rollout_path_section, order=10)
        registry.register_audit_type("rollout.rolloutplan", "Rollout plan")
