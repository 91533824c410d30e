from django.apps import AppConfig


class StoresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "stores"

    def ready(self):
        from accessadmin import surfaces

        from .enforcement.errors import body
        from .enforcement.schema import TILL_ERROR

        # The till API and the gateway check answer errors in the till API's shape. Any till API call may
        # be throttled after failed authentication attempts (per till and per address): 429.
        surfaces.register("/v2/", body, schema_name="TillError", schema=TILL_ERROR, always=(429,))
        surfaces.register("/authz/", body)
