"""Who may change an account: write to its workspace, change its owner or its account team.
Views and services go through here.

- Workspace (the log of events, contacts, and the growth plan and tasks): the account's owner,
  its account-team members, the sales manager who leads the owner's team, and admins
  (`account_get_for_writer`).

Seeing an account follows the one visibility rule (accounts.selectors): a foreign account is a
404. Changing it is narrower, and a visible account the user may not change is a 403.

- Reassign: an admin moves any account to any active account manager; a sales manager moves
  the accounts owned by members of the teams they lead, to active account managers of those
  teams; account managers reassign nothing.
- Account team: the owner, the owner's sales manager and admins add and remove members. A member
  is an active account manager: any one for an admin; for the others, one of the teams led by
  the owner's sales manager. Sales managers are never members: they see their teams' accounts
  already, and a member fills the account's assessments, which is an account manager's work.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from accounts.models import Account
from accounts.selectors import account_get_for_user
from users.models import Role, Team, User
from users.selectors import account_managers_visible_to


def reassign_targets(*, user: User) -> QuerySet[User]:
    """The account managers `user` may hand accounts to (none for an account manager)."""
    if not (user.is_admin_role or user.is_sales_manager):
        return User.objects.none()
    return account_managers_visible_to(user=user)


def user_may_reassign_some(*, user: User) -> bool:
    """Whether `user`'s role reassigns at all: the account list offers its checkboxes then."""
    return user.is_active and (user.is_admin_role or user.is_sales_manager)


def accounts_refused_for_reassign(*, user: User, accounts: Sequence[Account]) -> list[Account]:
    """Those of `accounts` that `user` may not reassign, in one query at most."""
    if not user_may_reassign_some(user=user):
        return list(accounts)
    if user.is_admin_role:
        return []
    led_owners = set(
        User.objects.filter(
            pk__in={a.owner_id for a in accounts if a.owner_id}, team__manager=user
        ).values_list("pk", flat=True)
    )
    return [a for a in accounts if a.owner_id not in led_owners]


def user_may_reassign(*, user: User, account: Account) -> bool:
    """The same rule for one account; no query when the caller loaded the owner with its team
    (`select_related("owner__team")`, as the account page does)."""
    if not user_may_reassign_some(user=user):
        return False
    if user.is_admin_role:
        return True
    owner = account.owner
    team = owner.team if owner is not None and owner.team_id is not None else None
    return team is not None and team.manager_id == user.pk


def user_may_manage_team(*, user: User, account: Account) -> bool:
    """The owner, the owner's sales manager and admins add and remove account-team members."""
    if not user.is_active:
        return False
    if user.is_admin_role:
        return True
    if account.owner_id is None:
        return False
    if account.owner_id == user.pk:
        return True
    return user.is_sales_manager and user_may_reassign(user=user, account=account)


def team_member_candidates(*, user: User, account: Account) -> QuerySet[User]:
    """Who `user` may add to the account team: active account managers not on it yet (nor the
    owner); for anyone but an admin, only from the teams led by the owner's sales manager."""
    candidates = (
        User.objects.filter(role=Role.ACCOUNT_MANAGER, is_active=True)
        .exclude(pk__in=account.team_members.values("pk"))
        .order_by("first_name", "last_name", "username")
    )
    if account.owner_id is not None:
        candidates = candidates.exclude(pk=account.owner_id)
    if user.is_admin_role:
        return candidates
    if account.owner_id is None:
        return candidates.none()
    owners_managers = Team.objects.filter(members__pk=account.owner_id).values("manager")
    return candidates.filter(team__manager__in=owners_managers)


def account_for_reassign(*, user: User, pk: int) -> Account:
    """The account if `user` may reassign it; 404 if they may not see it, 403 if only that."""
    account = account_get_for_user(user=user, pk=pk)
    if not user_may_reassign(user=user, account=account):
        raise PermissionDenied
    return account


def account_for_team_change(*, user: User, pk: int) -> Account:
    """The account if `user` may change its account team; 404 / 403 as above."""
    account = account_get_for_user(user=user, pk=pk)
    if not user_may_manage_team(user=user, account=account):
        raise PermissionDenied
    return account


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
