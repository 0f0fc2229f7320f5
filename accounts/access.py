"""Who may write to an account's workspace: its log of events, its contacts (and, as they come,
its growth plan and tasks). Views fetch through `account_get_for_writer`.

Seeing an account follows the one visibility rule (accounts.selectors): a foreign account is a
404. Writing is narrower: the account's owner, its account-team members, the sales manager who
leads the owner's team, and admins. A visible account the user may not write to is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from accounts.models import Account
from accounts.selectors import account_get_for_user
from users.models import User


def user_may_write(*, user: User, account: Account) -> bool:
    """Whether `user` may log events and keep contacts on `account` (at most one query)."""
    if not user.is_active:
        return False
    if user.is_admin_role or (account.owner_id is not None and account.owner_id == user.pk):
        return True
    # A team member (whatever their role), or the sales manager leading the owner's team.
    return (
        Account.objects.filter(pk=account.pk)
        .filter(Q(team_members=user) | Q(owner__team__manager=user))
        .exists()
    )


def account_get_for_writer(*, user: User, pk: int) -> Account:
    """The account if `user` may write to it; 404 if they may not see it, 403 if they only
    read it."""
    account = account_get_for_user(user=user, pk=pk)
    if not user_may_write(user=user, account=account):
        raise PermissionDenied
    return account
