from django.urls import path

from kam_portal.export import export_view
from portfolio import change_views, views
from portfolio.exports import ACCOUNTS

# Mounted at /accounts/; the namespace is named for the URL, as `risk` and `segments` are.
app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("export/", export_view(ACCOUNTS), name="export"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("reassign/", change_views.reassign_selected, name="reassign_selected"),
    path("<int:pk>/reassign/", change_views.reassign, name="reassign"),
    path("<int:pk>/team/add/", change_views.team_add, name="team_add"),
    path("<int:pk>/team/<int:user_pk>/remove/", change_views.team_remove, name="team_remove"),
]
