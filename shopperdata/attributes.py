"""The attributes of a property as the Admin API names them, and which of them may be edited."""

# API attribute → model field, in the order of the document's response example.
ATTRIBUTES = {
    "shopperWriteable": "shopper_writeable",
    "readRole": "read_role",
    "readSecurityLevel": "read_security_level",
    "readAccessRight": "read_access_right",
    "securityMaskingValue": "security_masking_value",
    "length": "length",
    "shopperReadable": "shopper_readable",
    "label": "label",
    "type": "type",
    "writeSecurityLevel": "write_security_level",
    "writeAccessRight": "write_access_right",
    "required": "required",
    "searchable": "searchable",
    "writable": "writable",
    "internalOnly": "internal_only",
    "uiEditorType": "ui_editor_type",
    "default": "default",
    "audienceVisibility": "audience_visibility",
    "localizable": "localizable",
    "textSearchable": "text_searchable",
    "writeRole": "write_role",
    "dimension": "dimension",
    "multiSelect": "multi_select",
    "values": "values",
    "itemType": "item_type",
    "pii": "pii",
}

BOOL_ATTRIBUTES = {"shopperWriteable", "shopperReadable", "required", "searchable", "writable", "internalOnly",
                   "localizable", "textSearchable", "dimension", "pii"}
NULLABLE_BOOL_ATTRIBUTES = {"multiSelect"}
STRING_ATTRIBUTES = {"label", "audienceVisibility", "uiEditorType", "itemType"}
ROLE_ATTRIBUTES = ("readRole", "writeRole")
ACCESS_RIGHT_ATTRIBUTES = ("readAccessRight", "writeAccessRight")
LEVEL_ATTRIBUTES = ("readSecurityLevel", "writeSecurityLevel")
# The attributes the document forbids on a reference property.
ACCESS_ATTRIBUTES = (*ROLE_ATTRIBUTES, *ACCESS_RIGHT_ATTRIBUTES, *LEVEL_ATTRIBUTES, "securityMaskingValue")

# editableAttributes of the document's lastName example, in its order.
EDITABLE = ("shopperWriteable", "readRole", "readSecurityLevel", "readAccessRight", "securityMaskingValue",
            "shopperReadable", "label", "writeSecurityLevel", "writeAccessRight", "required", "searchable",
            "internalOnly", "default", "audienceVisibility", "textSearchable", "writeRole", "dimension",
            "multiSelect", "pii")


def editable_attributes(prop) -> list[str]:
    """Returns the attributes of `prop` a PUT may change.

    The document's list; without securityMaskingValue on arrays and without any
    access attribute on references; a custom property also lets its enumerated
    values and its length change.
    """
    names = list(EDITABLE)
    if prop.type == "array":
        names.remove("securityMaskingValue")
    if prop.type == "reference":
        names = [n for n in names if n not in ACCESS_ATTRIBUTES]
    if not prop.builtin:
        if prop.type == "enumerated":
            names.append("values")
        if prop.type in ("shortText", "longText", "richText"):
            names.append("length")
    return names


def attributes_of(prop) -> dict:
    """Returns `prop` as the Admin API shows it (the document's response shape)."""
    out = {name: getattr(prop, field) for name, field in ATTRIBUTES.items()
           if name not in ("values", "itemType")}
    if prop.type == "enumerated":
        out["values"] = prop.values
    if prop.item_type:
        out["itemType"] = prop.item_type
    out["editableAttributes"] = editable_attributes(prop)
    return out
