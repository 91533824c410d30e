from django.apps import AppConfig

MEMBER_CARE = "Member care"  # the navigation section of group loyalty (and member care pages)


class LoyaltyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "loyalty"
    verbose_name = "loyalty"

    def ready(self):
        from accessadmin import registry

        from .errors import GroupCode, GroupErrorCode, LoyaltyErrorCode

        registry.register_error_codes(LoyaltyErrorCode, GroupErrorCode, GroupCode)
        registry.register_urls(registry.Mount.API_V1, "loyalty.api.urls")
        registry.register_urls(registry.Mount.PAGES, "loyalty.urls", prefix="loyalty/", namespace="loyalty")

        from . import member_care
        from .policies import can_view_groups, can_view_program

        registry.register_nav_section(MEMBER_CARE, order=25)
        registry.register_nav(registry.NavLink(MEMBER_CARE, "Group loyalty program", "loyalty:program",
                                               can_view_program, order=90),
                              registry.NavLink(MEMBER_CARE, "User groups", "loyalty:group-list", can_view_groups,
                                               order=20))
        # The member view gains the customer's groups and company hierarchy; the member search its Groups choice.
        registry.register_section("shopperdata.profile_detail", member_care.profile_section, order=20)
        registry.register_section("shopperdata.profile_list", member_care.member_search_switch, order=0)
        for target_type, label in (("loyalty.transaction", "Transaction"), ("loyalty.pointsaccount", "Points account"),
                                   ("loyalty.behavioralevent", "Behavioral event"),
                                   ("loyalty.behavioraleventdefinition", "Behavioral event definition"),
                                   ("loyalty.groupprogram", "Group loyalty program"),
                                   ("loyalty.usergroup", "User group")):
            registry.register_audit_type(target_type, label)
        # After shopper data (40): the demo's groups are made of its customers.
        registry.register_demo(self._seed_demo, order=45, notes=(
            "Group loyalty (acme): five families and Acme Logistics with two child companies; "
            "FAM-0001 (the Andersons) is a few hundred points from Gold.",))

    @staticmethod
    def _seed_demo(*, orgs):
        from . import demo

        demo.seed(orgs=orgs)
