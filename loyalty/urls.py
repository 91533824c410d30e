from django.urls import path

from . import member_care, views

app_name = "loyalty"
urlpatterns = [
    path("group-program/", views.program_edit, name="program"),
    path("groups/", member_care.group_list, name="group-list"),
    path("groups/<int:pk>/", member_care.group_detail, name="group-detail"),
    path("groups/<int:pk>/loyalty/", member_care.group_loyalty, name="group-loyalty"),
    path("groups/<int:pk>/events/", member_care.group_events, name="group-events"),
    path("groups/<int:pk>/members.csv", member_care.group_members_csv, name="group-members-csv"),
]
