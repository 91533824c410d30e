"""Ids of the built-in access rights. Code refers to these names, never to the strings."""

from enum import StrEnum


class Privilege(StrEnum):
    ADMIN = "ora.adminPrivilege"
    CATALOG = "ora.catalogPrivilege"
    CS_AGENT = "ora.csAgentPrivilege"
    ACCESS_CONTROL = "accessControlPrivilege"
    CONNECT = "connectPrivilege"
    PII_DELETION = "piiDeletionPrivilege"
    PII_APPROVAL = "piiApprovalPrivilege"


PRIVILEGE_NAMES = {
    Privilege.ADMIN: "Administrator",
    Privilege.CATALOG: "Catalog",
    Privilege.CS_AGENT: "CS Agent",
    Privilege.ACCESS_CONTROL: "Access control",
    Privilege.CONNECT: "Connect+",
    Privilege.PII_DELETION: "PII deletion",
    Privilege.PII_APPROVAL: "PII deletion approval",
}

PRIVILEGE_DESCRIPTIONS = {
    Privilege.ADMIN: "Everything in the organization.",
    Privilege.CATALOG: "Catalogs and price groups, limited by security criteria.",
    Privilege.CS_AGENT: "Searching, viewing and editing shopper profiles.",
    Privilege.ACCESS_CONTROL: "Access groups, stores, tills and API clients.",
    Privilege.CONNECT: "Connect+: SFTP connections, PGP keys, dataflows and their runs.",
    Privilege.PII_DELETION: "Raising and cancelling requests to delete a customer's personal data.",
    Privilege.PII_APPROVAL: "Approving or rejecting requests to delete a customer's personal data.",
}

# The role every new org gets for each privilege: (role id, role name, privilege).
BUILTIN_ROLES = (
    ("adminRole", "Administrator", Privilege.ADMIN),
    ("catalogRole", "Catalog", Privilege.CATALOG),
    ("csAgentRole", "CS Agent", Privilege.CS_AGENT),
    ("accessControlRole", "Access control", Privilege.ACCESS_CONTROL),
    ("connectRole", "Connect+", Privilege.CONNECT),
    ("piiDeletionRole", "PII deletion", Privilege.PII_DELETION),
    ("piiApprovalRole", "PII deletion approval", Privilege.PII_APPROVAL),
)
