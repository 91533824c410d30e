from django.urls import re_path

from . import views

# /api/v1/privacy/...; every path answers with and without its trailing slash.
ID = r"(?P<pk>\d+)"
urlpatterns = [
    re_path(r"^privacy/settings/?$", views.SettingsView.as_view(), name="api-privacy-settings"),
    re_path(r"^privacy/deletion-requests/?$", views.RequestListView.as_view(), name="api-privacy-requests"),
    re_path(r"^privacy/deletion-requests/bulk/?$", views.BulkView.as_view(), name="api-privacy-requests-bulk"),
    re_path(rf"^privacy/deletion-requests/{ID}/?$", views.RequestView.as_view(), name="api-privacy-request"),
    re_path(rf"^privacy/deletion-requests/{ID}/approve/?$", views.RequestApproveView.as_view(),
            name="api-privacy-request-approve"),
    re_path(rf"^privacy/deletion-requests/{ID}/reject/?$", views.RequestRejectView.as_view(),
            name="api-privacy-request-reject"),
    re_path(rf"^privacy/deletion-requests/{ID}/cancel/?$", views.RequestCancelView.as_view(),
            name="api-privacy-request-cancel"),
    re_path(rf"^privacy/deletion-requests/{ID}/retry/?$", views.RequestRetryView.as_view(),
            name="api-privacy-request-retry"),
]
