from django.apps import AppConfig

ACCESS_CONTROL = "Access control"  # the section the groups app opens


class EnforcementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "enforcement"
    verbose_name = "enforcement"

    def ready(self):
        from accessadmin import registry, surfaces

        from . import (
            invalidation,
            paths,  # noqa: F401  (connects the catalogue-changed signal)
            policies,
        )
        from .errors import EnforcementErrorCode, TillCode, body

        invalidation.connect()  # every write that changes a decision bumps the org's version counter
        registry.register_error_codes(EnforcementErrorCode, TillCode)
        registry.register_urls(registry.Mount.HOT, "enforcement.urls:hot")
        # The gateway check answers errors in the till API's shape.
        surfaces.register("/authz/", body)
        # Enforcement settings and the usage log sit among the store pages (/stores/-/usage/).
        registry.register_urls(registry.Mount.PAGES, "enforcement.urls:pages", prefix="stores/", namespace="stores")
        registry.register_urls(registry.Mount.API_V1, "enforcement.api.urls")
        registry.register_nav_section(ACCESS_CONTROL, order=10)
        registry.register_nav(
            registry.NavLink(ACCESS_CONTROL, "Usage log", "stores:usage", policies.can_view_usage, order=60),
            registry.NavLink(ACCESS_CONTROL, "Enforcement", "stores:enforcement", policies.can_change_enforcement,
                             order=70),
        )
