from django.urls import re_path

from . import views

# /api/v1/loyalty/...; every path answers with and without its trailing slash.
ID = r"(?P<pk>\d+)"
urlpatterns = [
    re_path(r"^loyalty/group-program/?$", views.ProgramView.as_view(), name="api-loyalty-group-program"),
    re_path(r"^loyalty/groups/?$", views.GroupListView.as_view(), name="api-loyalty-groups"),
    re_path(rf"^loyalty/groups/{ID}/?$", views.GroupDetailView.as_view(), name="api-loyalty-group"),
    re_path(rf"^loyalty/groups/{ID}/ledger/?$", views.GroupLedgerView.as_view(), name="api-loyalty-group-ledger"),
]
