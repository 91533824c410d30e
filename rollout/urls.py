"""Pages of rollout plans under /rollout/ (URL namespace "rollout")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/apply/", views.plan_apply, name="apply"),
    path("<int:pk>/undo/", views.plan_undo, name="undo"),
    path("<int:pk>/stores/", views.plan_assignments, name="assignments"),
]
