"""Included at the site root: the account page's log and contacts (accounts/<pk>/log/,
accounts/<pk>/contacts/), one entry of the log (events/<pk>/…) and one contact
(contacts/<pk>/…). No clash with the account pages under accounts/."""

from django.urls import path

from workspace import contact_views, log_views

app_name = "workspace"
urlpatterns = [
    path("accounts/<int:pk>/log/", log_views.account_log, name="log"),
    path("events/<int:pk>/edit/", log_views.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", log_views.event_delete, name="event_delete"),
    path("accounts/<int:pk>/contacts/", contact_views.account_contacts, name="contacts"),
    path("contacts/<int:pk>/edit/", contact_views.contact_change, name="contact_edit"),
    path("contacts/<int:pk>/end/", contact_views.contact_leave, name="contact_end"),
]
