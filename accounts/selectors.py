"""Reads of customer accounts. The visibility rule lives here and nowhere else."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Account, AccountChange
from users.models import Role, Team, User


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


def users_who_may_see(*, account: Account) -> QuerySet[User]:
    """The active users to whom `account` is visible: `account_list_visible_to` read from the
    account's side (a test pins the two together). Admins; the owner and the account-team
    members who are account managers; the sales managers of the teams those people are in."""
    members = Account.team_members.through.objects.filter(account=account).values("user_id")
    workers = Q(pk__in=members)
    if account.owner_id is not None:
        workers |= Q(pk=account.owner_id)
    their_managers = Team.objects.filter(members__in=User.objects.filter(workers)).values("manager")
    return User.objects.filter(is_active=True).filter(
        Q(role=Role.ADMIN)
        | Q(is_superuser=True)
        | (Q(role=Role.ACCOUNT_MANAGER) & workers)
        | (Q(role=Role.SALES_MANAGER) & Q(pk__in=their_managers))
    )
