"""The navigation of the base layout: sections of (label, url name, policy) shown to who may use them."""

from django.urls import NoReverseMatch, reverse

from connect import policies as connect_policies
from criteria.policies import can_manage_criteria, can_view_assets
from enforcement import policies as enforcement_policies
from groups.policies import can_manage_groups
from shopperdata import policies as shopperdata_policies
from stores import policies as store_policies
from stores.policies import can_view_stores

from . import policies

NAV = [
    ("Access control", [
        # (label, url name, policy(user) -> bool)
        ("Access groups", "groups:list", can_manage_groups),
        ("Default group", "groups:default", can_manage_groups),
        ("Stores", "stores:list", can_view_stores),
        ("Tills", "stores:tills", store_policies.can_manage_tills),
        ("API clients", "stores:api-clients", store_policies.can_manage_api_clients),
        ("Usage log", "stores:usage", enforcement_policies.can_view_usage),
        ("Enforcement", "stores:enforcement", enforcement_policies.can_change_enforcement),
    ]),
    ("Shopper data", [
        ("Shopper profiles", "shopperdata:profile-list", shopperdata_policies.can_use_profiles),
        ("Property access rules", "shopperdata:property-list", shopperdata_policies.can_manage_shopper_type),
    ]),
    ("Catalog", [
        ("Catalogs", "criteria:catalog-list", can_view_assets),
        ("Price groups", "criteria:price-group-list", can_view_assets),
        ("Security criteria", "criteria:criterion-list", can_manage_criteria),
    ]),
    ("Connect+", [
        ("Dataflows", "connect:dataflow-list", connect_policies.can_use_connect),
        ("SFTP connections", "connect:connection-list", connect_policies.can_use_connect),
        ("PGP keys", "connect:key-list", connect_policies.can_use_connect),
    ]),
    ("Administration", [
        ("Users", "users:list", policies.can_manage_identity),
        ("Roles", "roles:list", policies.can_manage_identity),
        ("Access rights", "access-rights:list", policies.can_manage_identity),
        ("Audit log", "audit-log", policies.can_view_audit),
    ]),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    org = getattr(request, "org", None)
    sections = []
    current = request.path
    for title, items in NAV:
        links = []
        for label, url_name, policy in items:
            if not policy(user):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            links.append({"label": label, "url": url, "active": False})
        if links:
            sections.append({"title": title, "links": links})
    # Only the link with the longest matching prefix is the current page (/groups/default/ is not /groups/).
    matching = [link for s in sections for link in s["links"] if current.startswith(link["url"])]
    if matching:
        max(matching, key=lambda link: len(link["url"]))["active"] = True
    return {
        "nav_sections": sections,
        "active_org": org if org else None,
        "is_platform_staff": policies.is_platform_staff(user),
    }
