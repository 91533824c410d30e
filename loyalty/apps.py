from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "loyalty"
    verbose_name = "loyalty"

    def ready(self):
        from accessadmin import registry

        from .errors import GroupCode, GroupErrorCode, LoyaltyErrorCode

        registry.register_error_codes(LoyaltyErrorCode, GroupErrorCode, GroupCode)
        for target_type, label in (("loyalty.transaction", "Transaction"), ("loyalty.pointsaccount", "Points account"),
                                   ("loyalty.behavioralevent", "Behavioral event"),
                                   ("loyalty.behavioraleventdefinition", "Behavioral event definition"),
                                   ("loyalty.groupprogram", "Group loyalty program"),
                                   ("loyalty.usergroup", "User group")):
            registry.register_audit_type(target_type, label)
        registry.register_demo(self._seed_demo, order=30)

    @staticmethod
    def _seed_demo(*, orgs):
        from . import demo

        demo.seed(orgs=orgs)
