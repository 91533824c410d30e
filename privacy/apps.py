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
