from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("settings/", views.settings_edit, name="settings"),
]
