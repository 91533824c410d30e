from django.urls import re_path

from . import views

# Included under /ccadmin/v1/.
urlpatterns = [
    re_path(r"^catalogs/?$", views.CatalogListView.as_view(), name="ccadmin-catalogs"),
    re_path(r"^catalogs/(?P<code>[^/]+)/explain/?$", views.CatalogExplainView.as_view(),
            name="ccadmin-catalog-explain"),
    re_path(r"^catalogs/(?P<code>[^/]+)/?$", views.CatalogDetailView.as_view(), name="ccadmin-catalog"),
    re_path(r"^priceListGroups/?$", views.PriceGroupListView.as_view(), name="ccadmin-price-groups"),
    re_path(r"^priceListGroups/(?P<code>[^/]+)/explain/?$", views.PriceGroupExplainView.as_view(),
            name="ccadmin-price-group-explain"),
    re_path(r"^priceListGroups/(?P<code>[^/]+)/?$", views.PriceGroupDetailView.as_view(),
            name="ccadmin-price-group"),
    re_path(r"^adminSecurityCriteria/?$", views.CriterionListView.as_view(), name="ccadmin-criteria"),
    re_path(r"^adminSecurityCriteria/(?P<code>[^/]+)/?$", views.CriterionDetailView.as_view(),
            name="ccadmin-criterion"),
    re_path(r"^adminSecurityCriteriaResources/?$", views.CriteriaResourceListView.as_view(),
            name="ccadmin-criteria-resources"),
]
