from django.urls import path
from django.views.generic import RedirectView

from . import views
from .resources import Resource


def _asset_urls(prefix: str, name: str, resource: Resource) -> list:
    kw = {"resource": resource}
    return [
        path(f"{prefix}/", views.asset_list, kw, name=f"{name}-list"),
        path(f"{prefix}/new/", views.asset_create, kw, name=f"{name}-create"),
        path(f"{prefix}/<str:code>/", views.asset_edit, kw, name=f"{name}-edit"),
        path(f"{prefix}/<str:code>/delete/", views.asset_delete, kw, name=f"{name}-delete"),
        path(f"{prefix}/<str:code>/explain/", views.asset_explain, kw, name=f"{name}-explain"),
    ]


# Included at /catalog/.
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="criteria:catalog-list"), name="index"),
    *_asset_urls("catalogs", "catalog", Resource.CATALOG),
    *_asset_urls("price-groups", "price-group", Resource.PRICE_GROUP),
    path("criteria/", views.criterion_list, name="criterion-list"),
    path("criteria/new/", views.criterion_create, name="criterion-create"),
    path("criteria/<str:code>/", views.criterion_edit, name="criterion-edit"),
    path("criteria/<str:code>/delete/", views.criterion_delete, name="criterion-delete"),
]
