from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        from accessadmin import registry

        from .errors import PrivacyErrorCode

        registry.register_error_codes(PrivacyErrorCode)
        registry.register_urls(registry.Mount.API_V1, "privacy.api.urls")
        registry.register_urls(registry.Mount.PAGES, "privacy.urls", prefix="privacy/", namespace="privacy")

        from .policies import can_view_settings

        registry.register_nav_section("Shopper data", order=20)  # the shopperdata app's section
        registry.register_nav(registry.NavLink("Shopper data", "Privacy settings", "privacy:settings",
                                               can_view_settings, order=90))
