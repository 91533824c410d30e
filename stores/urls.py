from django.urls import path

from . import views
from .tills import views as till_views

app_name = "stores"

urlpatterns = [
    path("", views.store_list, name="list"),
    path("new/", views.store_create, name="create"),
    path("<str:code>/", views.store_detail, name="detail"),
    path("<str:code>/managers/grant/", views.store_grant, name="grant"),
    path("<str:code>/managers/revoke/", views.store_revoke, name="revoke"),
    # Tills, API clients, enforcement and usage (issue 4). "-" cannot start a store code, so these
    # never collide with a store's pages.
    path("-/tills/", till_views.till_list, name="tills"),
    path("-/tills/new/", till_views.till_create, name="till-create"),
    path("-/tills/<str:code>/", till_views.till_detail, name="till"),
    path("-/tills/<str:code>/rotate/", till_views.till_rotate, name="till-rotate"),
    path("-/tills/<str:code>/deactivate/", till_views.till_set_active, {"active": False}, name="till-deactivate"),
    path("-/tills/<str:code>/activate/", till_views.till_set_active, {"active": True}, name="till-activate"),
    path("-/api-clients/", till_views.api_client_list, name="api-clients"),
    path("-/api-clients/new/", till_views.api_client_create, name="api-client-create"),
    path("-/api-clients/<int:pk>/revoke/", till_views.api_client_revoke, name="api-client-revoke"),
    path("-/enforcement/", till_views.enforcement_settings, name="enforcement"),
    path("-/usage/", till_views.usage_list, name="usage"),
    path("-/usage/suggest/<str:code>/", till_views.usage_suggest, name="usage-suggest"),
]
