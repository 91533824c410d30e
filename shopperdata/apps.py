from django.apps import AppConfig


class ShopperdataConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "shopperdata"

    def ready(self):
        from accessadmin import registry

        registry.register_urls(registry.Mount.PAGES, "shopperdata.urls", prefix="shoppers/", namespace="shopperdata")
        registry.register_urls(registry.Mount.CCADMIN_V1, "shopperdata.api.urls")
