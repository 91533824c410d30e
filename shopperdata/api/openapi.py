"""Request and response bodies of the shopper-data API (/ccadmin/v1/) for the OpenAPI schema.

Property ids are the org's own (built-in and custom), so profiles are objects with one member per
property the caller may see; the functions in shopperdata.api.serializers build them.
"""

from rest_framework import serializers

from accessadmin.api.schema import Link

PROPERTY_VALUE = {"description": "The value, or its mask when the caller may not read it."}

PROFILE = {
    "type": "object",
    "properties": {"id": {"type": "string", "description": "The profile's id."}},
    "required": ["id"],
    "additionalProperties": PROPERTY_VALUE,
    "description": "`id`, then every property the caller may see at the top level (masked where it may "
                   "not read; omitted where its readSecurityLevel is deny).",
}

PROFILE_INPUT = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": {"description": "A value of the property's type."},
    "description": "Property ids and their new values at the top level, e.g. "
                   '`{"email": "ann@example.com", "lastName": "Lee"}`.',
}

# A new profile needs an email address or a mobile number.
EMAIL_OR_MOBILE = {"anyOf": [{"required": ["email"]}, {"required": ["mobile"]}]}

SHOPPER_TYPE_INPUT = {
    "type": "object",
    "properties": {
        "properties": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {}},
                       "description": "Per property id, the attributes to add or change."},
        "propertiesOrder": {"type": "array", "items": {"type": "string", "maxLength": 100}},
        "id": {"type": "string"},
        "links": {"type": "array", "items": {"type": "object", "additionalProperties": {}}},
        "warnings": {"type": "array", "items": {"type": "object", "additionalProperties": {}}},
    },
    "additionalProperties": False,
    "description": "`id`, `links` and `warnings` are accepted (and ignored) so a GET answer can be sent back.",
}


class ShopperTypeWarning(serializers.Serializer):
    code = serializers.ChoiceField(choices=["write_without_read"])
    property = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()


class ShopperType(serializers.Serializer):
    id = serializers.CharField()
    links = Link(many=True)
    properties = serializers.DictField(child=serializers.DictField(),
                                       help_text="Per property id, its attributes (and editableAttributes).")
    propertiesOrder = serializers.ListField(child=serializers.CharField())
    warnings = ShopperTypeWarning(many=True)


class PropertyAccess(serializers.Serializer):
    property = serializers.CharField()
    read = serializers.ChoiceField(choices=["visible", "masked", "hidden"])
    write = serializers.ChoiceField(choices=["allowed", "ignored", "denied"])
    readReason = serializers.CharField()
    writeReason = serializers.CharField()
    readDecidedBy = serializers.DictField(allow_null=True, help_text="The attribute (and role or access right) "
                                                                       "that decided; null when unrestricted.")
    writeDecidedBy = serializers.DictField(allow_null=True)
    maskingValue = serializers.JSONField(required=False, help_text="Only when the property is masked.")


class ProfileAccess(serializers.Serializer):
    id = serializers.CharField()
    user = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    items = PropertyAccess(many=True)


PROFILE_LIST = {
    "type": "object",
    "properties": {
        "items": {"type": "array", "items": PROFILE},
        "total": {"type": "integer"},
        "totalResults": {"type": "integer"},
        "offset": {"type": "integer"},
        "limit": {"type": "integer"},
        "sort": {"type": "array", "items": {"type": "object", "additionalProperties": {}}},
        "links": {"type": "array", "items": {"type": "object", "additionalProperties": {}}},
    },
    "required": ["items", "total", "totalResults", "offset", "limit", "sort", "links"],
}
