from django.apps import AppConfig

ACCESS_CONTROL = "Access control"  # the section the groups app opens


class StoresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "stores"

    def ready(self):
        from accessadmin import registry

        from . import policies, search, selectors, views
        from .errors import StoresErrorCode

        registry.register_error_codes(StoresErrorCode)
        registry.register_urls(registry.Mount.PAGES, "stores.urls", prefix="stores/", namespace="stores")
        # Allocation belongs to stores (it writes them) but is done from a group's page.
        registry.register_urls(registry.Mount.PAGES, "stores.urls:group_pages", prefix="groups/", namespace="groups")
        registry.register_section("groups.group_detail", views.group_stores_section)
        registry.register_urls(registry.Mount.API_V1, "stores.api.urls")
        registry.register_nav_section(ACCESS_CONTROL, order=10)
        registry.register_nav(
            registry.NavLink(ACCESS_CONTROL, "Stores", "stores:list", policies.can_view_stores, order=30),
            registry.NavLink(ACCESS_CONTROL, "Tills", "stores:tills", policies.can_manage_tills, order=40),
            registry.NavLink(ACCESS_CONTROL, "API clients", "stores:api-clients", policies.can_manage_api_clients,
                             order=50),
        )
        registry.register_dashboard(
            registry.DashboardTile("Stores", "stores:list", policies.can_view_stores, selectors.store_count, order=20),
            registry.DashboardTile("Active tills", "stores:tills", policies.can_manage_tills,
                                   selectors.active_till_count, order=21),
        )
        for target_type, label in (("stores.store", "Store"), ("stores.till", "Till"),
                                   ("stores.apiclient", "API client")):
            registry.register_audit_type(target_type, label)
        for action, label in (("store.create", "Store created"), ("store.update", "Store changed"),
                              ("store.grant_manager", "Store manager added"),
                              ("store.revoke_manager", "Store manager removed"), ("till.create", "Till created"),
                              ("till.rotate_secret", "Till secret rotated"), ("till.deactivate", "Till deactivated"),
                              ("till.activate", "Till activated"), ("api_client.create", "API client created"),
                              ("api_client.set_group", "API client's group changed"),
                              ("api_client.revoke", "API client revoked")):
            registry.register_audit_action(action, label)
        registry.register_search(registry.SearchProvider("store", "Stores", search.stores, order=20,
                                                          policy=policies.can_view_stores))
        registry.register_search(registry.SearchProvider("till", "Tills", search.tills, order=30,
                                                          policy=policies.can_manage_tills))
        registry.register_demo(self._seed_demo, order=20, notes=(
            "Till API (http://127.0.0.1:8000/v2/...):",
            "  tills acme-s001-t1 … acme-s040-t2, Basic auth secret till-secret-2026",
            "  API client \"Demo ERP\" (POS group): client secret demo-client-secret-2026, "
            "client id on the API clients page",
        ))

    @staticmethod
    def _seed_demo(*, orgs):
        from . import demo

        demo.seed(orgs=orgs)
