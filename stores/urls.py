"""Pages of stores, tills and API clients under /stores/ (URL namespace "stores"), and the allocation
actions of a group's page under /groups/ (namespace "groups")."""

from django.urls import path

from . import till_oauth_views, views

urlpatterns = [
    path("", views.store_list, name="list"),
    path("new/", views.store_create, name="create"),
    path("<str:code>/", views.store_detail, name="detail"),
    path("<str:code>/managers/grant/", views.store_grant, name="grant"),
    path("<str:code>/managers/revoke/", views.store_revoke, name="revoke"),
    # "-" cannot start a store code, so these never collide with a store's pages.
    path("-/bulk/", views.store_bulk, name="bulk"),
    path("-/choices/", views.store_choices, name="choices"),
    path("-/tills/", views.till_list, name="tills"),
    path("-/tills/bulk/", views.till_bulk, name="till-bulk"),
    path("-/tills/new/", views.till_create, name="till-create"),
    path("-/tills/<str:code>/", views.till_detail, name="till"),
    path("-/tills/<str:code>/rotate/", views.till_rotate, name="till-rotate"),
    path("-/tills/<str:code>/deactivate/", views.till_set_active, {"active": False}, name="till-deactivate"),
    path("-/tills/<str:code>/activate/", views.till_set_active, {"active": True}, name="till-activate"),
    path("-/tills/<str:code>/oauth-client/", till_oauth_views.till_oauth_create, name="till-oauth-create"),
    path("-/tills/<str:code>/oauth-client/revoke/", till_oauth_views.till_oauth_revoke, name="till-oauth-revoke"),
    path("-/api-clients/", views.api_client_list, name="api-clients"),
    path("-/api-clients/bulk/", views.api_client_bulk, name="api-client-bulk"),
    path("-/api-clients/new/", views.api_client_create, name="api-client-create"),
    path("-/api-clients/<int:pk>/revoke/", views.api_client_revoke, name="api-client-revoke"),
]

# Allocation from a group's page (/groups/<pk>/...), which groups.views shows through a registered section.
group_pages = [
    path("<int:pk>/allocate/", views.group_allocate, name="allocate"),
    path("<int:pk>/unallocate/", views.group_unallocate, name="unallocate"),
]
