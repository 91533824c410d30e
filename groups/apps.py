from django.apps import AppConfig


class GroupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "groups"

    def ready(self):
        from accessadmin import registry

        registry.register_urls(registry.Mount.PAGES, "groups.urls", prefix="groups/", namespace="groups")
        registry.register_urls(registry.Mount.API_V1, "groups.api.urls")
