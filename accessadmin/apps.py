from django.apps import AppConfig


class AccessadminConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accessadmin"
    verbose_name = "accessadmin core"

    def ready(self):
        from . import surfaces
        from .api import schema  # noqa: F401  (registers the OpenAPI auth extensions)
        from .api.exceptions import api_body, ccadmin_body, oauth_body

        surfaces.register("/api/v1/", api_body)
        surfaces.register("/ccadmin/v1/", ccadmin_body)
        surfaces.register("/oauth/", oauth_body)
