"""The built-in properties of the `user` shopper type, and where their values live."""

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
