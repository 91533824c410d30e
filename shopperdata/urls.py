from django.urls import path

from . import views

urlpatterns = [
    path("", views.profile_list, name="profile-list"),
    path("new/", views.profile_create, name="profile-create"),
    path("export/", views.profile_export, name="profile-export"),
    path("properties/", views.property_list, name="property-list"),
    path("properties/new/", views.property_create, name="property-create"),
    path("properties/<str:code>/", views.property_edit, name="property-edit"),
    path("<int:pk>/", views.profile_detail, name="profile-detail"),
    path("<int:pk>/edit/", views.profile_edit, name="profile-edit"),
]
