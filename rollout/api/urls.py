from django.urls import re_path

from . import views

# Every path answers with and without its trailing slash.
urlpatterns = [
    re_path(r"^rollout/plans/?$", views.PlanListView.as_view(), name="api-rollout-plans"),
    re_path(r"^rollout/plans/(?P<pk>[0-9]{1,18})/?$", views.PlanDetailView.as_view(), name="api-rollout-plan"),
    re_path(r"^rollout/plans/(?P<pk>[0-9]{1,18})/apply/?$", views.PlanApplyView.as_view(),
            name="api-rollout-plan-apply"),
    re_path(r"^rollout/plans/(?P<pk>[0-9]{1,18})/undo/?$", views.PlanUndoView.as_view(), name="api-rollout-plan-undo"),
    re_path(r"^rollout/plans/(?P<pk>[0-9]{1,18})/groups/(?P<key>[0-9]{1,9})/?$", views.ProposedGroupView.as_view(),
            name="api-rollout-plan-group"),
    re_path(r"^rollout/plans/(?P<pk>[0-9]{1,18})/assignments/?$", views.PlanAssignmentsView.as_view(),
            name="api-rollout-plan-assignments"),
]
