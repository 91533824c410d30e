"""The two kinds of asset security criteria constrain, and the actions they cover.

Kept as constants in code rather than rows: they are fixed by the commerce
platform, and constants survive a flushed test database.
"""

from dataclasses import dataclass
from enum import StrEnum


class Resource(StrEnum):
    CATALOG = "ora.catalogAssetResource"
    PRICE_GROUP = "ora.pLGAssetResource"


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


# Every criterion covers exactly these actions (the platform accepts nothing else).
ACTIONS = (Action.CREATE, Action.UPDATE, Action.DELETE)


@dataclass(frozen=True)
class ResourceInfo:
    id: str
    name: str
    config_id: str
    config_display_name: str
    asset_type: str
    asset_group: str
    singular: str  # for messages: "catalog", "price group"


RESOURCES: dict[Resource, ResourceInfo] = {
    Resource.CATALOG: ResourceInfo(
        id=Resource.CATALOG, name="Catalog Assets", config_id="ora.catalogConstraintConfiguration",
        config_display_name="Catalogs", asset_type="catalog",
        asset_group="/atg/commerce/catalog/ProductCatalog/", singular="catalog"),
    Resource.PRICE_GROUP: ResourceInfo(
        id=Resource.PRICE_GROUP, name="Price Groups", config_id="ora.pLGConstraintConfiguration",
        config_display_name="Price Groups", asset_type="priceListGroup",
        asset_group="/atg/commerce/pricing/priceLists/PriceLists/", singular="price group"),
}
