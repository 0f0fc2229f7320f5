"""The people pages, mounted at /people/ (namespace "people")."""

from django.urls import path

from users import people_views as views

app_name = "people"
urlpatterns = [
    path("", views.people_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/deactivate/", views.person_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.person_reactivate, name="reactivate"),
    path("<int:pk>/password/", views.person_password, name="password"),
    path("<int:pk>/password-link/", views.person_password_link, name="password_link"),
    path("teams/", views.team_list, name="teams"),
    path("teams/<int:pk>/", views.team_edit, name="team_edit"),
    # The one-time link: Django's PasswordResetConfirmView, open without signing in.
    path(
        "password/<uidb64>/<token>/",
        views.PasswordFromLinkView.as_view(),
        name="password_confirm",
    ),
    path("password/done/", views.PasswordDoneView.as_view(), name="password_done"),
]
