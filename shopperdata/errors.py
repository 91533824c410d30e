"""Stable error codes of shopper data (the `errorCode` of `/ccadmin/v1` answers)."""

from enum import nonmember

from accessadmin.errors import ErrorCode


class ShopperdataErrorCode(ErrorCode):
    surfaces = nonmember(("/ccadmin/v1", "pages"))

    # shopper type
    SHOPPER_TYPE_NOT_FOUND = "shopper_type_not_found", 404, "The only shopper type is user."
    INVALID_BODY = "invalid_shopper_type_body", 400, "The shopper type body is not {properties: {...}} of objects."
    INVALID_LANGUAGE = "invalid_language", 400, "The language is not a language tag."
    INVALID_PROPERTY_ID = ("invalid_property_id", 400,
                           "A property id must start with a letter: letters, digits, underscores.")
    UNKNOWN_ATTRIBUTE = "unknown_attribute", 400, "A property attribute the shopper type does not have."
    ATTRIBUTE_NOT_EDITABLE = ("attribute_not_editable", 400,
                              "The attribute cannot be changed on this property (built-in or fixed).")
    INVALID_ATTRIBUTE_VALUE = ("invalid_attribute_value", 400,
                               "An attribute value has the wrong type or is out of range.")
    INVALID_PROPERTY_TYPE = "invalid_property_type", 400, "The property type is not one the shopper type knows."
    ENUM_VALUES_REQUIRED = "enumerated_values_required", 400, "An enumerated property needs its values."
    UNKNOWN_ROLE = "unknown_role", 400, "readRole or writeRole names a role the org lacks."
    UNKNOWN_ACCESS_RIGHT = ("unknown_access_right", 400,
                            "readAccessRight or writeAccessRight names an access right the org lacks.")
    INVALID_SECURITY_LEVEL = "invalid_security_level", 400, "A security level must be ignore or deny."
    DENY_ON_BUILTIN = "deny_on_builtin_property", 400, "deny is for custom properties only."
    MASKING_VALUE_TYPE = "masking_value_type_mismatch", 400, "The masking value does not match the property type."
    MASKING_VALUE_ON_ARRAY = "masking_value_on_array", 400, "Array properties take no masking value."
    ACCESS_ON_REFERENCE = "access_attributes_on_reference", 400, "Reference properties take no access attributes."
    REQUIRED_WITHOUT_DEFAULT = "required_property_without_default", 400, "A required custom property needs a default."
    INVALID_DEFAULT = "invalid_default", 400, "The default does not match the property type."
    # profiles
    UNKNOWN_PROPERTY = "unknown_property", 400, "A profile value names a property the shopper type lacks."
    INVALID_PROPERTY_VALUE = "invalid_property_value", 400, "A profile value does not match its property's type."
    REQUIRED_PROPERTY_MISSING = "required_property_missing", 400, "A required property has no value."
    IDENTIFIER_REQUIRED = "identifier_required", 400, "A profile needs an email address or a mobile number."
    PROPERTY_WRITE_DENIED = ("property_write_denied", 403,
                             "The user may not change a property whose write security level is deny.")
    DUPLICATE_EMAIL = "duplicate_email", 409, "Another profile of the org has this email address."
    DUPLICATE_MOBILE = "duplicate_mobile", 409, "Another profile of the org has this mobile number."
    EXPORT_FORBIDDEN = "export_forbidden", 403, "The system export is for administrators only."
    SHOPPER_TYPE_FORBIDDEN = "shopper_type_forbidden", 403, "Only administrators change the shopper type."
    PROFILES_FORBIDDEN = "profiles_forbidden", 403, "Profiles need the CS Agent or Administrator privilege."


Code = ShopperdataErrorCode  # the short name the app's modules use
