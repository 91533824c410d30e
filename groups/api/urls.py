from django.urls import re_path

from . import views

# Every path answers with and without its trailing slash.
urlpatterns = [
    re_path(r"^resources/?$", views.ResourceListView.as_view(), name="api-resources"),
    re_path(r"^access-groups/?$", views.GroupListView.as_view(), name="api-groups"),
    re_path(r"^access-groups/(?P<pk>\d+)/?$", views.GroupDetailView.as_view(), name="api-group"),
    re_path(r"^access-groups/(?P<pk>\d+)/diff/?$", views.GroupDiffView.as_view(), name="api-group-diff"),
    re_path(r"^access-groups/(?P<pk>\d+)/activate/?$", views.GroupActivateView.as_view()),
    re_path(r"^access-groups/(?P<pk>\d+)/deactivate/?$", views.GroupDeactivateView.as_view()),
    re_path(r"^access-groups/(?P<pk>\d+)/history/?$", views.GroupHistoryView.as_view()),
    re_path(r"^default-access-group/?$", views.DefaultGroupView.as_view(), name="api-default-group"),
]
