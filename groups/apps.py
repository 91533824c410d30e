from django.apps import AppConfig

ACCESS_CONTROL = "Access control"


class GroupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "groups"

    def ready(self):
        from accessadmin import registry

        from . import audit, search, selectors
        from .errors import GroupsErrorCode
        from .policies import can_manage_groups

        registry.register_error_codes(GroupsErrorCode)
        registry.register_urls(registry.Mount.PAGES, "groups.urls", prefix="groups/", namespace="groups")
        registry.register_urls(registry.Mount.API_V1, "groups.api.urls")
        registry.register_nav_section(ACCESS_CONTROL, order=10)
        registry.register_nav(
            registry.NavLink(ACCESS_CONTROL, "Access groups", "groups:list", can_manage_groups, order=10),
            registry.NavLink(ACCESS_CONTROL, "Default group", "groups:default", can_manage_groups, order=20),
        )
        registry.register_dashboard(registry.DashboardTile("Access groups", "groups:list", can_manage_groups,
                                                           selectors.group_count, order=10))
        registry.register_audit_type("groups.accessgroup", "Access group")
        for action, label in (("group.create", "Access group created"), ("group.update", "Access group changed"),
                              ("group.permission", "Permission changed"),
                              ("group.deactivate", "Access group deactivated"),
                              ("group.activate", "Access group activated"),
                              ("group.allocate", "Store allocated"), ("group.unallocate", "Store unallocated"),
                              ("default_group.set", "Default group changed")):
            registry.register_audit_action(action, label)
        registry.register_audit_diff("group.permission", audit.permission_diffs)
        registry.register_search(registry.SearchProvider("access_group", "Access groups", search.groups, order=10,
                                                          policy=can_manage_groups))
        registry.register_demo(self._seed_demo, order=10)

    @staticmethod
    def _seed_demo(*, orgs):
        from . import demo

        demo.seed(orgs=orgs)
