"""Reads of customer accounts. The visibility rule lives here and nowhere else."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Account, AccountChange
from users.models import Role, User


def account_list_visible_to(*, user: User) -> QuerySet[Account]:
    """The accounts `user` may see.

    Admins see all; a sales manager sees the accounts owned by, or worked by, members of the
    teams they lead; an account manager sees the accounts they own or whose account team they
    are on. Anyone else sees none.
    """
    accounts = Account.objects.all()
    if not user.is_authenticated or not user.is_active:
        return accounts.none()
    if user.is_admin_role:
        return accounts
    if user.role == Role.SALES_MANAGER:
        return accounts.filter(
            Q(owner__team__manager=user)
            | Q(
                pk__in=Account.team_members.through.objects.filter(user__team__manager=user).values(
                    "account_id"
                )
            )
        )
    if user.role == Role.ACCOUNT_MANAGER:
        return accounts.filter(
            Q(owner=user)
            | Q(pk__in=Account.team_members.through.objects.filter(user=user).values("account_id"))
        )
    return accounts.none()


def account_get_for_user(*, user: User, pk: int) -> Account:
    """One account, if `user` may see it; otherwise a 404 that does not confirm it exists."""
    try:
        return account_list_visible_to(user=user).get(pk=pk)
    except Account.DoesNotExist:
        raise Http404("No such account.") from None


def account_change_list(*, account: Account) -> QuerySet[AccountChange]:
    """The account's owner and account-team changes, newest first, with the people they name.
    `account` comes from account_get_for_user: this reads no further than the caller may."""
    return account.changes.select_related("by", "from_user", "to_user")
