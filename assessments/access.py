"""Who may read and who may fill an assessment. Every view goes through these helpers.

Reading follows the one visibility rule (accounts.selectors): a user who may not see the account
gets a 404. Filling is narrower: the account's owner and its account-team members only; their
sales manager and admins read, and get a 403 on any write.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import Account
from accounts.selectors import account_get_for_user, account_list_visible_to
from assessments.models import Assessment
from users.models import User


def user_may_fill(*, user: User, account: Account) -> bool:
    """The owner and account-team members fill and edit this account's assessments."""
    if account.owner_id is not None and account.owner_id == user.pk:
        return True
    return account.team_members.filter(pk=user.pk).exists()


def account_for_user(*, user: User, pk: int, write: bool = False) -> Account:
    account = account_get_for_user(user=user, pk=pk)
    if write and not user_may_fill(user=user, account=account):
        raise PermissionDenied
    return account


def assessment_for_user(*, user: User, pk: int, write: bool = False) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.select_related("account", "template_version", "author"),
        pk=pk,
        account__in=account_list_visible_to(user=user),
    )
    if write and not user_may_fill(user=user, account=assessment.account):
        raise PermissionDenied
    return assessment
