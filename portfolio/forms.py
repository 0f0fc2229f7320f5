"""Forms of the manager's controls: reassign one account or a selection, change the account team.

The choices come from accounts.access, so a form offers only what its user may choose; the
services check again when they write.
"""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import reassign_targets, team_member_candidates
from accounts.models import Account
from accounts.selectors import account_list_visible_to
from users.models import User

# A page of the account list holds 50 rows; a larger post is not from the list.
MAX_SELECTED = 500


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("New account manager"),
        queryset=User.objects.none(),
        empty_label=_("Choose an account manager"),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("For example: holiday cover")}),
        help_text=_("Kept in the account's history with your name and the date."),
        error_messages={"required": _("Give a reason for the reassignment.")},
    )

    def __init__(
        self, *args: Any, user: User, account: Account | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        targets = reassign_targets(user=user).order_by("first_name", "last_name", "username")
        if account is not None and account.owner_id is not None:
            targets = targets.exclude(pk=account.owner_id)
        cast(forms.ModelChoiceField, self.fields["to"]).queryset = targets


class BulkReassignForm(ReassignForm):
    """The account list's form: the rows ticked, the new owner, the reason."""

    accounts = forms.ModelMultipleChoiceField(
        label=_("Accounts"),
        queryset=Account.objects.none(),
        error_messages={"required": _("Select at least one account.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        # An id the user may not see is "not one of the available choices", as if it did not
        # exist: nothing about a foreign account is confirmed.
        field = cast(forms.ModelMultipleChoiceField, self.fields["accounts"])
        field.queryset = account_list_visible_to(user=user).order_by("pk")

    def clean_accounts(self) -> list[Account]:
        accounts = list(self.cleaned_data["accounts"])
        if len(accounts) > MAX_SELECTED:
            raise forms.ValidationError(
                _("Select at most %(max)d accounts at a time.") % {"max": MAX_SELECTED}
            )
        return accounts


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Add to the account team"),
        queryset=User.objects.none(),
        empty_label=_("Choose an account manager"),
    )

    def __init__(self, *args: Any, user: User, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["user"])
        field.queryset = team_member_candidates(user=user, account=account)
