"""Who may read and who may close a task; who may edit playbooks and read the results. Every
view goes through these helpers.

Reading follows the one visibility rule (accounts.selectors): a task on an account the user may
not see is a 404. Closing is for those who may write on the account (issue 10): its owner, its
account-team members, the sales manager of the owner's team, and admins; and for the person the
task is assigned to. Anyone else who may see the account reads, and gets a 403 on a close.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import Account
from accounts.selectors import account_list_visible_to
from playbooks.models import Task
from users.models import User


def user_may_work(*, user: User, account: Account) -> bool:
    """May write on the account: admins, the owner, the account team, the owner's manager."""
    if user.is_admin_role or (account.owner_id is not None and account.owner_id == user.pk):
        return True
    if user.is_sales_manager and account.owner_id is not None:
        owner = account.owner
        if owner is not None and owner.team is not None and owner.team.manager_id == user.pk:
            return True
    return account.team_members.filter(pk=user.pk).exists()


def user_may_close(*, user: User, task: Task) -> bool:
    return task.assignee_id == user.pk or user_may_work(user=user, account=task.account)


def task_for_user(*, user: User, pk: int, write: bool = False) -> Task:
    """One task on an account `user` may see (404 otherwise); with `write`, one they may close
    (403 otherwise)."""
    task = get_object_or_404(
        Task.objects.select_related(
            "playbook", "account", "account__owner__team", "assignee", "closed_by"
        ),
        pk=pk,
        account__in=account_list_visible_to(user=user),
    )
    if write and not user_may_close(user=user, task=task):
        raise PermissionDenied
    return task


def require_admin(user: User) -> None:
    """Playbooks are the admins' to edit."""
    if not user.is_admin_role:
        raise PermissionDenied


def require_results_reader(user: User) -> None:
    """ "Did it work" is for admins and sales managers."""
    if not (user.is_admin_role or user.is_sales_manager):
        raise PermissionDenied
