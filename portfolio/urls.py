from django.urls import path

from portfolio import views

# Mounted at /accounts/; the namespace is named for the URL, as `risk` and `segments` are.
app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("<int:pk>/", views.account_detail, name="detail"),
]
