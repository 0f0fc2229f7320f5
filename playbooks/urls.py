"""/playbooks/: the admins' playbooks. The tasks are in task_urls.py, the digest's pages in
digest/urls.py."""

from django.urls import path

from playbooks import views

app_name = "playbooks"
urlpatterns = [
    path("", views.playbook_list, name="list"),
    path("new/", views.playbook_edit, name="new"),
    path("<int:pk>/", views.playbook_edit, name="edit"),
    path("<int:pk>/delete/", views.playbook_remove, name="delete"),
]
