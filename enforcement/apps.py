from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "enforcement"
    verbose_name = "enforcement"

    def ready(self):
        from accessadmin import registry, surfaces

        from . import paths  # noqa: F401  (connects the catalogue-changed signal)
        from .errors import body

        registry.register_urls(registry.Mount.HOT, "enforcement.urls:hot")
        # The gateway check answers errors in the till API's shape.
        surfaces.register("/authz/", body)
        # Enforcement settings and the usage log sit among the store pages (/stores/-/usage/).
        registry.register_urls(registry.Mount.PAGES, "enforcement.urls:pages", prefix="stores/", namespace="stores")
        registry.register_urls(registry.Mount.API_V1, "enforcement.api.urls")
