from django.apps import AppConfig


class AccessadminConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accessadmin"
    verbose_name = "accessadmin core"

    def ready(self):
        from . import surfaces
        from .api import schema  # (also registers the OpenAPI auth extensions)
        from .api.exceptions import api_body, ccadmin_body, oauth_body

        surfaces.register("/api/v1/", api_body, schema_name="ApiError", schema=schema.API_ERROR, always=(400,))
        surfaces.register("/ccadmin/v1/", ccadmin_body, schema_name="CcadminError", schema=schema.CCADMIN_ERROR,
                          always=(400,))
        surfaces.register("/oauth/", oauth_body)
