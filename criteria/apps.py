from django.apps import AppConfig


class CriteriaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "criteria"

    def ready(self):
        from accessadmin import registry

        registry.register_urls(registry.Mount.PAGES, "criteria.urls", prefix="catalog/", namespace="criteria")
        registry.register_urls(registry.Mount.CCADMIN_V1, "criteria.api.urls")
