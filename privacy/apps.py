from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        from accessadmin import registry

        from .errors import PrivacyErrorCode

        registry.register_error_codes(PrivacyErrorCode)
        registry.register_urls(registry.Mount.API_V1, "privacy.api.urls")
        registry.register_urls(registry.Mount.PAGES, "privacy.urls", prefix="privacy/", namespace="privacy")

        from . import views
        from .policies import can_approve, can_raise, can_view_requests, can_view_settings

        registry.register_nav_section("Shopper data", order=20)  # the shopperdata app's section
        registry.register_nav(
            registry.NavLink("Shopper data", "Deletion requests", "privacy:request-list", can_view_requests, order=70),
            registry.NavLink("Shopper data", "Deletion approvals", "privacy:approvals", can_approve, order=75),
            registry.NavLink("Shopper data", "Bulk deletion requests", "privacy:bulk", can_raise, order=80),
            registry.NavLink("Shopper data", "Privacy settings", "privacy:settings", can_view_settings, order=90),
        )
        # The customer's profile page shows deletion status, requests and "Request deletion" (shopperdata
        # renders the registered sections; it does not import this app).
        registry.register_section("shopperdata.profile_detail", views.profile_section, order=10)
        registry.register_audit_type("privacy.deletionrequest", "Deletion request")
        for action, label in (("create", "Deletion requested"), ("approved", "Deletion approved"),
                              ("rejected", "Deletion rejected"), ("cancelled", "Deletion request cancelled"),
                              ("retry", "Deletion retried"), ("failed", "Deletion failed"),
                              ("completed", "Personal data deleted")):
            registry.register_audit_action(f"deletion_request.{action}", label)
        registry.register_audit_action("privacy.settings.update", "Privacy settings changed")

        from connect import flow_templates

        from .connect_template import TEMPLATE

        flow_templates.register(TEMPLATE)  # the Connect+ template `pii-deletion`
