from django.urls import re_path

from ..tills import api as tills_api
from . import views

urlpatterns = [
    re_path(r"^stores/?$", views.StoreListView.as_view(), name="api-stores"),
    re_path(r"^stores/(?P<code>[A-Za-z0-9._-]+)/?$", views.StoreDetailView.as_view(), name="api-store"),
    re_path(r"^stores/(?P<code>[A-Za-z0-9._-]+)/managers/?$", views.StoreManagersView.as_view(),
            name="api-store-managers"),
    # tills, API clients, enforcement settings, usage (issue 4)
    re_path(r"^stores/(?P<code>[A-Za-z0-9._-]+)/tills/?$", tills_api.StoreTillsView.as_view(), name="api-store-tills"),
    re_path(r"^stores/(?P<code>[A-Za-z0-9._-]+)/suggested-group/?$", tills_api.SuggestedGroupView.as_view(),
            name="api-store-suggested-group"),
    re_path(r"^tills/?$", tills_api.TillListView.as_view(), name="api-tills"),
    re_path(r"^tills/(?P<code>[A-Za-z0-9._-]+)/?$", tills_api.TillDetailView.as_view(), name="api-till"),
    re_path(r"^tills/(?P<code>[A-Za-z0-9._-]+)/rotate-secret/?$", tills_api.TillRotateView.as_view(),
            name="api-till-rotate"),
    re_path(r"^tills/(?P<code>[A-Za-z0-9._-]+)/deactivate/?$", tills_api.TillDeactivateView.as_view(),
            name="api-till-deactivate"),
    re_path(r"^tills/(?P<code>[A-Za-z0-9._-]+)/activate/?$", tills_api.TillActivateView.as_view(),
            name="api-till-activate"),
    re_path(r"^tills/(?P<code>[A-Za-z0-9._-]+)/effective-permissions/?$",
            tills_api.TillEffectivePermissionsView.as_view(), name="api-till-effective-permissions"),
    re_path(r"^api-clients/?$", tills_api.ApiClientListView.as_view(), name="api-clients"),
    re_path(r"^api-clients/(?P<pk>[0-9]+)/?$", tills_api.ApiClientDetailView.as_view(), name="api-client"),
    re_path(r"^api-clients/(?P<pk>[0-9]+)/revoke/?$", tills_api.ApiClientRevokeView.as_view(),
            name="api-client-revoke"),
    re_path(r"^org/?$", tills_api.OrgSettingsView.as_view(), name="api-org-settings"),
    re_path(r"^usage/?$", tills_api.UsageView.as_view(), name="api-usage"),
]
