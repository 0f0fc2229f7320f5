from django.urls import path

from segmentation import views

app_name = "segmentation"
urlpatterns = [path("settings/", views.risk_settings, name="settings")]
