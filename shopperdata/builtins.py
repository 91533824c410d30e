"""The built-in properties of the `user` shopper type, where their values live, and putting them in place.

Both the selectors (reading the shopper type creates what is missing) and the services use
`ensure_builtin_properties`, so it lives here, below both.
"""

from accessadmin.models import Org

from .models import USER_SHOPPER_TYPE, PropertyDefinition

# Property id → Profile column. Every other property value is in Profile.properties.
COLUMN_PROPERTIES = {
    "email": "email",
    "mobile": "mobile",
    "firstName": "first_name",
    "lastName": "last_name",
}

# Keys of a profile's JSON that are not properties.
RESERVED_KEYS = frozenset({"id", "repositoryId", "links"})

# id → attributes (model field names). Order is the default property order.
BUILTIN_PROPERTIES = [
    ("email", {"pii": True, "type": "shortText", "label": "Email Address", "length": 254, "searchable": True}),
    ("mobile", {"pii": True, "type": "shortText", "label": "Mobile Phone Number", "length": 32, "searchable": True}),
    ("firstName", {"pii": True, "type": "shortText", "label": "First Name", "length": 254}),
    ("lastName", {"pii": True, "type": "shortText", "label": "Last Name", "length": 254}),
    ("gender", {"pii": True, "type": "enumerated", "label": "Gender",
                "values": [{"value": "male", "label": "Male"}, {"value": "female", "label": "Female"},
                           {"value": "unspecified", "label": "Unspecified"}]}),
    ("dateOfBirth", {"pii": True, "type": "date", "label": "Date of Birth"}),
    ("GDPRProfileP13nConsentGranted", {"type": "checkbox", "label": "Personalization Consent Granted",
                                       "required": True, "default": False}),
    ("GDPRProfileP13nConsentDate", {"type": "timestamp", "label": "Personalization Consent Date"}),
    ("receiveEmail", {"type": "enumerated", "label": "Receive Email", "required": True, "default": "no",
                      "values": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]}),
    ("abandonedOrderCount", {"type": "number", "label": "Abandoned Order Count"}),
    ("homeAddress", {"pii": True, "type": "reference", "item_type": "address", "label": "Home Address",
                     "shopper_writeable": True}),
]

BUILTIN_IDS = frozenset(code for code, _ in BUILTIN_PROPERTIES)

# Built-in properties that are personal data (pii=True when an org's built-ins are created).
PII_BUILTIN_IDS = frozenset(code for code, attrs in BUILTIN_PROPERTIES if attrs.get("pii"))

# A customer's identifiers (Profile columns): always personal data, whatever the property flags say.
IDENTIFIER_COLUMNS = ("email", "mobile", "external_id")


def ensure_builtin_properties(*, org: Org, existing: list[PropertyDefinition] | None = None) -> bool:
    """Returns True when it created any of `org`'s missing built-in properties.

    Built-in properties are rows per org, created on first use rather than by a
    data migration: orgs are created at any time, and a flushed test database
    keeps working. Safe to call concurrently (conflicts are ignored).
    """
    if existing is None:
        existing = list(PropertyDefinition.objects.filter(org=org, shopper_type=USER_SHOPPER_TYPE))
    have = {p.code for p in existing}
    missing = [(pos, code, attrs) for pos, (code, attrs) in enumerate(BUILTIN_PROPERTIES) if code not in have]
    if not missing:
        return False
    PropertyDefinition.objects.bulk_create(
        [PropertyDefinition(org=org, shopper_type=USER_SHOPPER_TYPE, code=code, builtin=True, position=pos,
                            ui_editor_type=attrs.get("ui_editor_type", attrs["type"]), **attrs)
         for pos, code, attrs in missing],
        ignore_conflicts=True,
    )
    return True
