from django.apps import AppConfig


class AccessadminConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accessadmin"
    verbose_name = "accessadmin core"

    def ready(self):
        from .api import schema  # noqa: F401  (registers the OpenAPI auth extensions)
