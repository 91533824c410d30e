from django.apps import AppConfig


class TillApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tillapi"
    verbose_name = "till API"

    def ready(self):
        from accessadmin import registry, surfaces
        from enforcement.errors import body
        from enforcement.schema import TILL_ERROR

        from .errors import TillApiErrorCode

        registry.register_error_codes(TillApiErrorCode)
        registry.register_urls(registry.Mount.HOT, "tillapi.urls", prefix="v2/")
        # The till API answers errors in its own shape. Any call may be throttled after failed
        # authentication attempts (per till and per address): 429.
        surfaces.register("/v2/", body, schema_name="TillError", schema=TILL_ERROR, always=(429,))
