from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^stores/(?P<code>[A-Za-z0-9._-]+)/suggested-group/?$", views.SuggestedGroupView.as_view(),
            name="api-store-suggested-group"),
    re_path(r"^org/?$", views.OrgSettingsView.as_view(), name="api-org-settings"),
    re_path(r"^usage/?$", views.UsageView.as_view(), name="api-usage"),
]
