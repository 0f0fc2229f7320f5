"""Included at the site root: account-scoped pages under accounts/<pk>/assessments/, and one
assessment's pages under assessments/<pk>/ (no clash with accounts.urls)."""

from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path(
        "accounts/<int:account_pk>/assessments/",
        views.account_assessments,
        name="account",
    ),
    path("accounts/<int:account_pk>/assessments/new/", views.assessment_new, name="new"),
    path("assessments/<int:pk>/", views.assessment_detail, name="detail"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="edit"),
]
