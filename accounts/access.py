"""Who may change what is recorded about an account (its growth plan, its log): one write rule.

Seeing an account follows the one visibility rule (accounts.selectors): a foreign account is a
404. Writing is narrower: the account's owner, its account-team members, the sales manager of
the owner's team, and admins. Anyone else who may see the account reads, and gets a 403 on a
write.
"""

from django.core.exceptions import PermissionDenied

from accounts.models import Account
from accounts.selectors import account_get_for_user
from users.models import User


def user_may_write(*, user: User, account: Account) -> bool:
    """Whether `user` may change what is recorded about `account` (the caller checked that
    they may see it). At most one query: the team members, unless the owner or role decides."""
    if not user.is_active:
        return False
    if user.is_admin_role or (account.owner_id is not None and account.owner_id == user.pk):
        return True
    if user.is_sales_manager:
        if account.owner_id is None:
            return False
        return User.objects.filter(pk=account.owner_id, team__manager=user).exists()
    return account.team_members.filter(pk=user.pk).exists()


def account_get_for_writer(*, user: User, pk: int) -> Account:
    """The account if `user` may write to it; 404 if they may not see it, 403 if only that."""
    account = account_get_for_user(user=user, pk=pk)
    if not user_may_write(user=user, account=account):
        raise PermissionDenied
    return account
