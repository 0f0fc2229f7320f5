from django.urls import path

from kam_portal.export import export_view
from portfolio import views
from portfolio.exports import ACCOUNTS

# Mounted at /accounts/; the namespace is named for the URL, as `risk` and `segments` are.
app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("export/", export_view(ACCOUNTS), name="export"),
    path("<int:pk>/", views.account_detail, name="detail"),
]
