"""/digest/: the e-mail digest's setting and its one-click unsubscribe."""

from django.urls import path

from playbooks.digest import views

app_name = "digest"
urlpatterns = [
    path("", views.digest_settings, name="settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
