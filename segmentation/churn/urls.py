from django.urls import path

from segmentation.churn import views

app_name = "risk"
urlpatterns = [path("settings/", views.risk_settings, name="settings")]
