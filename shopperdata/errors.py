"""Stable error codes of shopper data (the `errorCode` of `/ccadmin/v1` answers)."""

from enum import StrEnum


class Code(StrEnum):
    # shopper type
    SHOPPER_TYPE_NOT_FOUND = "shopper_type_not_found"
    INVALID_BODY = "invalid_shopper_type_body"
    INVALID_LANGUAGE = "invalid_language"
    INVALID_PROPERTY_ID = "invalid_property_id"
    UNKNOWN_ATTRIBUTE = "unknown_attribute"
    ATTRIBUTE_NOT_EDITABLE = "attribute_not_editable"
    INVALID_ATTRIBUTE_VALUE = "invalid_attribute_value"
    INVALID_PROPERTY_TYPE = "invalid_property_type"
    ENUM_VALUES_REQUIRED = "enumerated_values_required"
    UNKNOWN_ROLE = "unknown_role"
    UNKNOWN_ACCESS_RIGHT = "unknown_access_right"
    INVALID_SECURITY_LEVEL = "invalid_security_level"
    DENY_ON_BUILTIN = "deny_on_builtin_property"
    MASKING_VALUE_TYPE = "masking_value_type_mismatch"
    MASKING_VALUE_ON_ARRAY = "masking_value_on_array"
    ACCESS_ON_REFERENCE = "access_attributes_on_reference"
    REQUIRED_WITHOUT_DEFAULT = "required_property_without_default"
    INVALID_DEFAULT = "invalid_default"
    # profiles
    UNKNOWN_PROPERTY = "unknown_property"
    INVALID_PROPERTY_VALUE = "invalid_property_value"
    REQUIRED_PROPERTY_MISSING = "required_property_missing"
    IDENTIFIER_REQUIRED = "identifier_required"
    PROPERTY_WRITE_DENIED = "property_write_denied"
    DUPLICATE_EMAIL = "duplicate_email"
    DUPLICATE_MOBILE = "duplicate_mobile"
    EXPORT_FORBIDDEN = "export_forbidden"
    SHOPPER_TYPE_FORBIDDEN = "shopper_type_forbidden"
    PROFILES_FORBIDDEN = "profiles_forbidden"
