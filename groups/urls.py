"""Pages of access groups under /groups/ (URL namespace "groups")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="create"),
    path("bulk/", views.group_bulk, name="bulk"),
    path("default/", views.default_group, name="default"),
    path("-/choices/", views.group_choices, name="choices"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/edit/", views.group_edit, name="edit"),
    path("<int:pk>/deactivate/", views.group_deactivate, name="deactivate"),
    path("<int:pk>/activate/", views.group_activate, name="activate"),
]
