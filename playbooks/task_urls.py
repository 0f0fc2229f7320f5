"""/tasks/: the task list, one task (and closing it), and "did it work"."""

from django.urls import path

from playbooks import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("results/", views.results, name="results"),
    path("<int:pk>/", views.task_detail, name="detail"),
]
