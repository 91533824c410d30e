from django.urls import re_path

from . import till_oauth, views

# Every path answers with and without its trailing slash.
urlpatterns = [
    re_path(r"^stores/?$", views.StoreListView.as_view(), name="api-stores"),
    re_path(r"^stores/(?P<code>[A-Za-z0-9._-]+)/?$", views.StoreDetailView.as_view(), name="api-store"),
    re_path(r"^stores/(?P<code>[A-Za-z0-9._-]+)/managers/?$", views.StoreManagersView.as_view(),
            name="api-store-managers"),
    re_path(r"^stores/(?P<code>[A-Za-z0-9._-]+)/tills/?$", views.StoreTillsView.as_view(), name="api-store-tills"),
    re_path(r"^access-groups/(?P<pk>\d+)/allocate/?$", views.GroupAllocateView.as_view()),
    re_path(r"^access-groups/(?P<pk>\d+)/unallocate/?$", views.GroupUnallocateView.as_view()),
    re_path(r"^tills/?$", views.TillListView.as_view(), name="api-tills"),
    re_path(r"^tills/(?P<code>[A-Za-z0-9._-]+)/?$", views.TillDetailView.as_view(), name="api-till"),
    re_path(r"^tills/(?P<code>[A-Za-z0-9._-]+)/rotate-secret/?$", views.TillRotateView.as_view(),
            name="api-till-rotate"),
    re_path(r"^tills/(?P<code>[A-Za-z0-9._-]+)/deactivate/?$", views.TillDeactivateView.as_view(),
            name="api-till-deactivate"),
    re_path(r"^tills/(?P<code>[A-Za-z0-9._-]+)/activate/?$", views.TillActivateView.as_view(),
            name="api-till-activate"),
    re_path(r"^tills/(?P<code>[A-Za-z0-9._-]+)/oauth-client/?$", till_oauth.TillOAuthClientView.as_view(),
            name="api-till-oauth-client"),
    re_path(r"^tills/(?P<code>[A-Za-z0-9._-]+)/effective-permissions/?$",
            views.TillEffectivePermissionsView.as_view(), name="api-till-effective-permissions"),
    re_path(r"^api-clients/?$", views.ApiClientListView.as_view(), name="api-clients"),
    re_path(r"^api-clients/(?P<pk>[0-9]+)/?$", views.ApiClientDetailView.as_view(), name="api-client"),
    re_path(r"^api-clients/(?P<pk>[0-9]+)/revoke/?$", views.ApiClientRevokeView.as_view(),
            name="api-client-revoke"),
]
