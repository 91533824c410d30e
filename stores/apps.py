from django.apps import AppConfig


class StoresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "stores"

    def ready(self):
        from accessadmin import registry

        from . import views

        registry.register_urls(registry.Mount.PAGES, "stores.urls", prefix="stores/", namespace="stores")
        # Allocation belongs to stores (it writes them) but is done from a group's page.
        registry.register_urls(registry.Mount.PAGES, "stores.urls:group_pages", prefix="groups/", namespace="groups")
        registry.register_section("groups.group_detail", views.group_stores_section)
        registry.register_urls(registry.Mount.API_V1, "stores.api.urls")
