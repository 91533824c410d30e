"""The API resource catalogue and the built-in access groups, as shipped.

`ensure_builtins()` creates whatever is missing and never changes what staff
have edited since; the data migration and the test suite both call it.
"""

# key, name, data path patterns, config path patterns
CATALOGUE = [
    ("customer", "Customer", ["/v2/customers", "/v2/customers/*"], ["/v2/customer-fields", "/v2/customer-fields/**"]),
    ("transaction", "Transaction", ["/v2/transactions", "/v2/transactions/**"],
     ["/v2/transaction-fields", "/v2/transaction-fields/**"]),
    ("points", "Points", ["/v2/points/**"], ["/v2/points-config/**"]),
    ("coupon", "Coupon", ["/v2/coupons", "/v2/coupons/**"], ["/v2/coupon-series", "/v2/coupon-series/**"]),
    ("card", "Card", ["/v2/cards", "/v2/cards/**"], ["/v2/card-series", "/v2/card-series/**"]),
    ("store", "Store", ["/v2/store-data/**"], ["/v2/stores", "/v2/stores/**"]),
    ("till", "Till", ["/v2/till-data/**"], ["/v2/tills", "/v2/tills/**"]),
    ("organization", "Organization", ["/v2/org-data/**"], ["/v2/org", "/v2/org/**"]),
    ("behavioral_event", "Behavioral Events", ["/v2/events", "/v2/events/**"],
     ["/v2/behavioral-events", "/v2/behavioral-events/**"]),
    ("product", "Product", ["/v2/products", "/v2/products/**"], ["/v2/product-attributes/**"]),
    ("staff", "Staff", ["/v2/staff", "/v2/staff/**"], ["/v2/staff-roles/**"]),
    ("webhooks", "Webhooks", ["/v2/webhook-events/**"], ["/v2/webhooks", "/v2/webhooks/**"]),
    # /v2/userGroup2 is the source platform's User Group v2 API; a group's trackers are read under customers.
    ("user_group", "User Groups", ["/v2/user-groups", "/v2/user-groups/**", "/v2/userGroup2", "/v2/userGroup2/**",
                                   "/v2/customers/userEntityTrackers"], ["/v2/user-group-config/**"]),
    ("partner", "Partners", ["/v2/partners", "/v2/partners/**"], ["/v2/partner-programs/**"]),
    ("lead", "Leads", ["/v2/leads", "/v2/leads/**"], ["/v2/lead-config/**"]),
    ("image", "Images", ["/v2/images", "/v2/images/**"], ["/v2/image-config/**"]),
    ("otp", "OTP", ["/v2/otp", "/v2/otp/**"], ["/v2/otp-config/**"]),
    ("request", "Requests", ["/v2/requests", "/v2/requests/**"], ["/v2/request-config/**"]),
    ("survey", "Survey", ["/v2/surveys", "/v2/surveys/**"], ["/v2/survey-config/**"]),
    ("task", "Task", ["/v2/tasks", "/v2/tasks/**"], ["/v2/task-config/**"]),
    ("target_loyalty", "Target Loyalty", ["/v2/targets", "/v2/targets/**"], ["/v2/target-groups/**"]),
]

POS, INSTORE, ADMIN = "POS", "Instore", "Admin"

# name: (description, grants_all, {resource key: (api, read, write)} cells)
BUILTIN_GROUPS = {
    POS: ("Point-of-sale tills: customers, transactions, points and coupons.", False, [
        ("customer", "data", True, True),
        ("transaction", "data", True, True),
        ("points", "data", True, True),
        ("coupon", "data", True, True),
    ]),
    INSTORE: ("In-store sign-up: registers customers only.", False, [
        ("customer", "data", False, True),
    ]),
    ADMIN: ("Every Data API and Config API resource, read and write.", True, []),
}


def ensure_builtins(apps=None) -> None:
    """Creates the catalogue entries and built-in groups that are missing.

    `apps` is the migration app registry when called from a migration, so the
    historical models are used there; None means the current models.
    """
    if apps is None:
        from django.apps import apps
    ApiResource = apps.get_model("groups", "ApiResource")
    AccessGroup = apps.get_model("groups", "AccessGroup")
    PermissionCell = apps.get_model("groups", "PermissionCell")

    resources = {r.key: r for r in ApiResource.objects.all()}
    for position, (key, name, data_paths, config_paths) in enumerate(CATALOGUE):
        if key not in resources:
            resources[key] = ApiResource.objects.create(key=key, name=name, data_paths=data_paths,
                                                        config_paths=config_paths, position=position)
    for name, (description, grants_all, cells) in BUILTIN_GROUPS.items():
        if AccessGroup.objects.filter(org__isnull=True, name=name).exists():
            continue
        group = AccessGroup.objects.create(org=None, name=name, description=description, grants_all=grants_all)
        PermissionCell.objects.bulk_create(
            PermissionCell(group=group, resource=resources[key], api=api, read=read, write=write)
            for key, api, read, write in cells
        )
