"""/tasks/: the task list and its export, one task (and closing it), and "did it work"."""

from django.urls import path

from kam_portal.export import export_view
from playbooks import views
from playbooks.exports import TASKS

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("export/", export_view(TASKS), name="export"),
    path("results/", views.results, name="results"),
    path("<int:pk>/", views.task_detail, name="detail"),
]
