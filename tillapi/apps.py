from django.apps import AppConfig


class TillApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tillapi"
    verbose_name = "till API"

    def ready(self):
        from accessadmin import registry

        registry.register_urls(registry.Mount.HOT, "tillapi.urls", prefix="v2/")
