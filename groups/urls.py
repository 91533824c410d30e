from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="create"),
    path("default/", views.default_group, name="default"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/edit/", views.group_edit, name="edit"),
    path("<int:pk>/deactivate/", views.group_deactivate, name="deactivate"),
    path("<int:pk>/activate/", views.group_activate, name="activate"),
    path("<int:pk>/allocate/", views.group_allocate, name="allocate"),
    path("<int:pk>/unallocate/", views.group_unallocate, name="unallocate"),
]
