"""Mounted at /api/ (namespace `api`): the schema, its documentation, and version 1. The old
read-only /api/accounts/ (accounts/api.py) keeps answering beside it; see docs/api.md."""

from django.urls import include, path

from api.docs import docs_view, schema_view

app_name = "api"
urlpatterns = [
    path("schema/", schema_view(), name="schema"),
    path("docs/", docs_view(), name="docs"),
    path("v1/", include("api.v1.urls")),
]
