from django.apps import AppConfig

CATALOG = "Catalog"


class CriteriaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "criteria"

    def ready(self):
        from accessadmin import registry

        from . import policies, selectors
        from .api.roles import SECURITY_CRITERIA
        from .errors import CriteriaErrorCode

        registry.register_error_codes(CriteriaErrorCode)
        registry.register_urls(registry.Mount.PAGES, "criteria.urls", prefix="catalog/", namespace="criteria")
        registry.register_urls(registry.Mount.CCADMIN_V1, "criteria.api.urls")
        registry.register_role_field(SECURITY_CRITERIA)
        registry.register_nav_section(CATALOG, order=30)
        registry.register_nav(
            registry.NavLink(CATALOG, "Catalogs", "criteria:catalog-list", policies.can_view_assets, order=10),
            registry.NavLink(CATALOG, "Price groups", "criteria:price-group-list", policies.can_view_assets,
                             order=20),
            registry.NavLink(CATALOG, "Security criteria", "criteria:criterion-list", policies.can_manage_criteria,
                             order=30),
        )
        registry.register_dashboard(
            registry.DashboardTile("Catalogs", "criteria:catalog-list", policies.can_view_assets,
                                   selectors.catalog_count, order=40),
            registry.DashboardTile("Price groups", "criteria:price-group-list", policies.can_view_assets,
                                   selectors.price_group_count, order=41),
            registry.DashboardTile("Security criteria", "criteria:criterion-list", policies.can_manage_criteria,
                                   selectors.criterion_count, order=42),
        )
        for target_type, label in (("criteria.securitycriterion", "Security criterion"),
                                   ("criteria.catalog", "Catalog"), ("criteria.pricegroup", "Price group")):
            registry.register_audit_type(target_type, label)
        registry.register_demo(self._seed_demo, order=50)

    @staticmethod
    def _seed_demo(*, orgs):
        from . import demo

        demo.seed(orgs=orgs)
