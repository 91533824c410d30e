from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("settings/", views.settings_edit, name="settings"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/approvals/", views.approval_queue, name="approvals"),
    path("requests/bulk/", views.bulk_upload, name="bulk"),
    path("requests/bulk/template.csv", views.bulk_template, name="bulk-template"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/approve/", views.request_approve, name="request-approve"),
    path("requests/<int:pk>/reject/", views.request_reject, name="request-reject"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request-cancel"),
    path("requests/<int:pk>/retry/", views.request_retry, name="request-retry"),
    path("customers/<int:customer_id>/request/", views.request_create, name="request-create"),
]
