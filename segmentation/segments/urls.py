from django.urls import path

from segmentation.segments import views

app_name = "segments"
urlpatterns = [
    path("decision-model/", views.decision_model, name="decision_model"),
    path("settings/", views.segment_settings, name="settings"),
    path("capacity/", views.capacity, name="capacity"),
    path("capacity/set/", views.capacity_set, name="capacity_set"),
    path("accounts/<int:pk>/pin/", views.pin, name="pin"),
    path("accounts/<int:pk>/unpin/", views.unpin, name="unpin"),
]
