"""Reads of tasks: the list a user works from, scoped by the one visibility rule and ordered
by due date then value at stake, and the choices its filters offer."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery

from accounts.selectors import account_list_visible_to
from playbooks.enums import TaskStatus
from playbooks.models import Task
from segmentation.models import NightlyRun, RiskSnapshot
from users.models import User


@dataclass(frozen=True)
class TaskFilters:
    """What the list shows: open or closed tasks, only the user's own, one account manager's."""

    closed: bool = False
    mine: bool = False
    owner: User | None = None


def with_value_at_stake(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Annotate `value_at_stake`: the account's gross profit over the last 12 months in the
    latest complete nightly run (None before it scored the account). A subquery: no query of its
    own."""
    latest = RiskSnapshot.objects.filter(
        account=OuterRef("account_id"), run_id=NightlyRun.objects.latest_complete_id()
    )
    return tasks.annotate(
        value_at_stake=Subquery(
            latest.values("gross_profit_12m")[:1],
            output_field=DecimalField(max_digits=16, decimal_places=2),
        )
    )


def tasks_visible_to(*, user: User, filters: TaskFilters | None = None) -> QuerySet[Task]:
    """The tasks on the accounts `user` may see: an account manager's own and account-team
    accounts, a sales manager's teams', everything for an admin. Open ones by default, soonest
    due first and, on the same day, the most gross profit at stake first."""
    f = filters or TaskFilters()
    tasks = Task.objects.filter(account__in=account_list_visible_to(user=user))
    if f.closed:
        tasks = tasks.exclude(status=TaskStatus.OPEN)
    else:
        tasks = tasks.filter(status=TaskStatus.OPEN)
    if f.mine:
        tasks = tasks.filter(assignee=user)
    if f.owner is not None:
        tasks = tasks.filter(account__owner=f.owner)
    order = ("-closed_at",) if f.closed else ("due_on", F("value_at_stake").desc(nulls_last=True))
    return (
        with_value_at_stake(tasks)
        .select_related("playbook", "account", "assignee")
        .order_by(*order, "pk")
    )


def open_tasks_due(*, user: User, by: dt.date) -> QuerySet[Task]:
    """The open tasks assigned to `user` that fall due by the date `by` (overdue ones too)."""
    return tasks_visible_to(user=user, filters=TaskFilters(mine=True)).filter(due_on__lte=by)
