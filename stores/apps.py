from django.apps import AppConfig


class StoresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "stores"

    def ready(self):
        from accessadmin import surfaces

        from .enforcement.errors import body

        # The till API and the gateway check answer errors in the till API's shape.
        surfaces.register("/v2/", body)
        surfaces.register("/authz/", body)
