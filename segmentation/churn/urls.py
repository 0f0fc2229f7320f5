from django.urls import path

from segmentation.churn import views

app_name = "risk"
urlpatterns = [
    path("settings/", views.risk_settings, name="settings"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/fail/", views.run_fail, name="run_fail"),
]
