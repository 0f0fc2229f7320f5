"""The account list's search, owner and churn-risk filters and sort, validated as a form."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.selectors import account_list_visible_to
from segmentation.enums import RiskLevel
from users.models import User

SORT_CHOICES = [
    ("name", _("Name (A-Z)")),
    ("-name", _("Name (Z-A)")),
    ("-revenue", _("Revenue, 12 months (highest first)")),
    ("revenue", _("Revenue, 12 months (lowest first)")),
    ("-at_stake", _("Value at stake (highest first)")),
]


def owners_of_visible_accounts(*, user: User) -> QuerySet[User]:
    """The people who own at least one account `user` may see: the owner filter's choices."""
    visible = account_list_visible_to(user=user)
    return User.objects.filter(pk__in=visible.values("owner")).order_by("first_name", "username")


class AccountFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Name or ERP id"), "type": "search"}),
    )
    owner = forms.ModelChoiceField(
        label=_("Account manager"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All account managers"),
    )
    risk = forms.ChoiceField(
        label=_("Churn risk"),
        choices=[("", _("Any churn risk")), *RiskLevel.choices],
        required=False,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Account managers see only their own accounts: an owner filter would be noise.
        if user.is_account_manager and not user.is_superuser:
            del self.fields["owner"]
        else:
            owner = cast(forms.ModelChoiceField, self.fields["owner"])  # declared above
            owner.queryset = owners_of_visible_accounts(user=user)

    def selector_kwargs(self) -> dict:
        """The valid filters as keyword arguments of account_list_with_figures; invalid ones
        are left out (the view reports them)."""
        data = self.cleaned_data if self.is_bound else {}
        kwargs = {"search": data.get("q") or "", "sort": data.get("sort") or "name"}
        if data.get("owner"):
            kwargs["owner"] = data["owner"]
        if data.get("risk"):
            kwargs["risk"] = data["risk"]
        return kwargs
