"""Mounted at /profile/ (namespace `tokens`): API tokens and service accounts."""

from django.urls import path

from api import views

app_name = "tokens"
urlpatterns = [
    path("tokens/", views.token_list, name="list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="revoke"),
    path("service-accounts/", views.service_accounts, name="service_accounts"),
    path("service-accounts/<int:pk>/tokens/", views.service_account_token, name="service_token"),
]
