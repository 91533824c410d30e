from django.urls import path

from . import views

app_name = "loyalty"
urlpatterns = [
    path("group-program/", views.program_edit, name="program"),
]
