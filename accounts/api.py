"""Read-only JSON API over customer accounts, mounted under /api/ by kam_portal/urls.py.

Every answer starts from the one visibility rule in accounts.selectors: the list shows only the
accounts the user may see, and an account they may not see is a 404, exactly as on the pages.
The views opt out of LoginRequiredMiddleware (which would redirect to the HTML login page) so
that DRF's IsAuthenticated answers an anonymous API client with a JSON 403 instead. DRF 3.15+
marks its views so itself; the explicit decorator keeps that visible here and version-proof.
"""

from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from django.urls import path
from rest_framework import generics

from accounts.models import Account
from accounts.selectors import account_get_for_user, account_list_visible_to
from accounts.serializers import AccountSerializer
from users.requests import signed_in_user


class AccountListApi(generics.ListAPIView):
    serializer_class = AccountSerializer

    def get_queryset(self) -> QuerySet[Account]:
        # select_related keeps the page at a fixed number of queries, whatever its length;
        # the pk tie-break keeps offset pagination stable between pages.
        return (
            account_list_visible_to(user=signed_in_user(self.request))
            .select_related("owner")
            .order_by("name", "pk")
        )


class AccountDetailApi(generics.RetrieveAPIView):
    serializer_class = AccountSerializer

    def get_object(self) -> Account:
        return account_get_for_user(user=signed_in_user(self.request), pk=self.kwargs["pk"])


app_name = "accounts_api"
urlpatterns = [
    path("accounts/", login_not_required(AccountListApi.as_view()), name="account-list"),
    path(
        "accounts/<int:pk>/",
        login_not_required(AccountDetailApi.as_view()),
        name="account-detail",
    ),
]
