from django.urls import path

from . import views

app_name = "stores"

urlpatterns = [
    path("", views.store_list, name="list"),
    path("new/", views.store_create, name="create"),
    path("<str:code>/", views.store_detail, name="detail"),
    path("<str:code>/managers/grant/", views.store_grant, name="grant"),
    path("<str:code>/managers/revoke/", views.store_revoke, name="revoke"),
]
