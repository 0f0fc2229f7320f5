"""Included at the site root: a growth plan lives under its account, /accounts/<pk>/plan/."""

from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("accounts/<int:pk>/plan/", views.plan, name="plan"),
    path("accounts/<int:pk>/plan/goals/new/", views.goal_new, name="goal_new"),
    path("accounts/<int:pk>/plan/goals/<int:goal_pk>/", views.goal_edit, name="goal_edit"),
    path(
        "accounts/<int:pk>/plan/goals/<int:goal_pk>/remove/",
        views.goal_remove,
        name="goal_remove",
    ),
    path("accounts/<int:pk>/plan/actions/new/", views.action_new, name="action_new"),
    path("accounts/<int:pk>/plan/actions/<int:action_pk>/", views.action_edit, name="action_edit"),
    path(
        "accounts/<int:pk>/plan/actions/<int:action_pk>/status/",
        views.action_status,
        name="action_status",
    ),
]
