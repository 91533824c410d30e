from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^stores/?$", views.StoreListView.as_view(), name="api-stores"),
    re_path(r"^stores/(?P<code>[A-Za-z0-9._-]+)/?$", views.StoreDetailView.as_view(), name="api-store"),
    re_path(r"^stores/(?P<code>[A-Za-z0-9._-]+)/managers/?$", views.StoreManagersView.as_view(),
            name="api-store-managers"),
]
