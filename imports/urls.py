from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.imports_index, name="index"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/status/", views.import_status, name="status"),
    path("<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("<int:pk>/cancel/", views.import_cancel, name="cancel"),
    path("<int:pk>/rejects/", views.import_rejects, name="rejects"),
]
