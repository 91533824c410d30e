from django.urls import re_path

from . import views

# /api/v1/connect/...; every path answers with and without its trailing slash.
urlpatterns = [
    re_path(r"^connect/connections/?$", views.ConnectionListView.as_view(), name="api-connect-connections"),
    re_path(r"^connect/connections/(?P<pk>\d+)/?$", views.ConnectionDetailView.as_view(),
            name="api-connect-connection"),
    re_path(r"^connect/connections/(?P<pk>\d+)/host-key/?$", views.ConnectionHostKeyView.as_view(),
            name="api-connect-connection-host-key"),
    re_path(r"^connect/connections/(?P<pk>\d+)/test/?$", views.ConnectionTestView.as_view(),
            name="api-connect-connection-test"),
    re_path(r"^connect/pgp-keys/?$", views.KeyListView.as_view(), name="api-connect-keys"),
    re_path(r"^connect/pgp-keys/(?P<pk>\d+)/?$", views.KeyDetailView.as_view(), name="api-connect-key"),
    re_path(r"^connect/templates/?$", views.TemplateListView.as_view(), name="api-connect-templates"),
    re_path(r"^connect/dataflows/?$", views.DataflowListView.as_view(), name="api-connect-dataflows"),
    re_path(r"^connect/dataflows/(?P<pk>\d+)/?$", views.DataflowDetailView.as_view(), name="api-connect-dataflow"),
    re_path(r"^connect/dataflows/(?P<pk>\d+)/run/?$", views.DataflowRunView.as_view(),
            name="api-connect-dataflow-run"),
    re_path(r"^connect/dataflows/(?P<pk>\d+)/runs/?$", views.DataflowRunListView.as_view(),
            name="api-connect-dataflow-runs"),
    re_path(r"^connect/runs/(?P<pk>\d+)/?$", views.RunDetailView.as_view(), name="api-connect-run"),
]
