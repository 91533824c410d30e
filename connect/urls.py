from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "connect"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="connect:dataflow-list"), name="home"),
    path("connections/", views.connection_list, name="connection-list"),
    path("connections/new/", views.connection_create, name="connection-create"),
    path("connections/<int:pk>/", views.connection_detail, name="connection-detail"),
    path("connections/<int:pk>/edit/", views.connection_edit, name="connection-edit"),
    path("connections/<int:pk>/delete/", views.connection_delete, name="connection-delete"),
    path("connections/<int:pk>/test/", views.connection_test, name="connection-test"),
    path("connections/<int:pk>/host-key/", views.connection_host_key, name="connection-host-key"),
    path("keys/", views.key_list, name="key-list"),
    path("keys/new/", views.key_create, name="key-create"),
    path("keys/<int:pk>/delete/", views.key_delete, name="key-delete"),
    path("dataflows/", views.dataflow_list, name="dataflow-list"),
    path("dataflows/new/", views.dataflow_template_pick, name="dataflow-templates"),
    path("dataflows/new/<slug:template_id>/", views.dataflow_create, name="dataflow-create"),
    path("dataflows/<int:pk>/", views.dataflow_detail, name="dataflow-detail"),
    path("dataflows/<int:pk>/edit/", views.dataflow_edit, name="dataflow-edit"),
    path("dataflows/<int:pk>/delete/", views.dataflow_delete, name="dataflow-delete"),
    path("dataflows/<int:pk>/run/", views.dataflow_run, name="dataflow-run"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run-progress"),
]
