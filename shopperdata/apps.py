from django.apps import AppConfig

SHOPPER_DATA = "Shopper data"


class ShopperdataConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "shopperdata"

    def ready(self):
        from accessadmin import registry

        from . import policies, search, selectors
        from .errors import ShopperdataErrorCode

        registry.register_error_codes(ShopperdataErrorCode)
        registry.register_urls(registry.Mount.PAGES, "shopperdata.urls", prefix="shoppers/", namespace="shopperdata")
        registry.register_urls(registry.Mount.CCADMIN_V1, "shopperdata.api.urls")
        registry.register_nav_section(SHOPPER_DATA, order=20)
        registry.register_nav(
            registry.NavLink(SHOPPER_DATA, "Shopper profiles", "shopperdata:profile-list",
                             policies.can_use_profiles, order=10),
            registry.NavLink(SHOPPER_DATA, "Property access rules", "shopperdata:property-list",
                             policies.can_manage_shopper_type, order=20),
        )
        registry.register_dashboard(registry.DashboardTile("Shopper profiles", "shopperdata:profile-list",
                                                           policies.can_use_profiles, selectors.profile_count,
                                                           order=30))
        registry.register_audit_type("shopperdata.profile", "Shopper profile")
        registry.register_audit_type("shopperdata.shoppertype", "Shopper type")
        registry.register_search(registry.SearchProvider("customer", "Customers", search.customers, order=40,
                                                          policy=policies.can_use_profiles))
        registry.register_demo(self._seed_demo, order=40)

    @staticmethod
    def _seed_demo(*, orgs):
        from . import demo

        demo.seed(orgs=orgs)
