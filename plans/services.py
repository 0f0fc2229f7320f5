"""Writes to growth plans. Views check the write rule (accounts.access) before calling these;
each records its author in the history and, for a goal, measures it at once so its progress
shows without waiting for the night."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Account
from accounts.selectors import account_list_visible_to
from plans.enums import AMOUNT_KINDS, ActionStatus, GoalKind
from plans.models import Action, Goal, GrowthPlan
from plans.nightly import goal_progress_refresh
from users.models import User

REVIEW_AFTER = dt.timedelta(days=90)  # a new plan's first review, unless one is given


@dataclass(frozen=True)
class GoalData:
    """A goal as a person states it; `fields()` keeps only what its kind uses."""

    kind: str
    target: Decimal | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    category: str = ""
    text: str = ""

    def fields(self) -> dict[str, object]:
        amount = self.kind in AMOUNT_KINDS
        dated = self.kind != GoalKind.FREE_TEXT
        return {
            "kind": self.kind,
            "target": self.target if amount else None,
            "starts_on": self.starts_on if dated else None,
            "ends_on": self.ends_on if dated else None,
            "category": self.category.strip() if self.kind == GoalKind.CATEGORY else "",
            "text": self.text.strip(),
        }


def plan_get_or_create(*, account: Account, by: User, today: dt.date) -> GrowthPlan:
    """The account's plan; a new one is reviewed REVIEW_AFTER from `today`."""
    plan = GrowthPlan.objects.filter(account=account).first()
    if plan is not None:
        return plan
    plan = GrowthPlan(account=account, review_on=today + REVIEW_AFTER, created_by=by)
    plan._history_user = by
    plan.save()
    return plan


def plan_save(*, account: Account, review_on: dt.date, summary: str, by: User) -> GrowthPlan:
    """Start the account's plan or change its review date and summary."""
    plan = GrowthPlan.objects.filter(account=account).first() or GrowthPlan(
        account=account, created_by=by
    )
    plan.review_on, plan.summary = review_on, summary.strip()
    plan._history_user = by
    plan.save()
    return plan


def goal_add(*, plan: GrowthPlan, data: GoalData, by: User, as_of: dt.date) -> Goal:
    """Add a goal and measure it as of `as_of` (the last complete day of orders)."""
    goal = Goal(plan=plan, created_by=by, **data.fields())
    return _goal_save(goal, by=by, as_of=as_of)


def goal_edit(*, goal: Goal, data: GoalData, by: User, as_of: dt.date) -> Goal:
    for name, value in data.fields().items():
        setattr(goal, name, value)
    return _goal_save(goal, by=by, as_of=as_of)


def _goal_save(goal: Goal, *, by: User, as_of: dt.date) -> Goal:
    goal.full_clean(exclude=["plan", "created_by"])  # the constraints, with their messages
    with transaction.atomic():
        goal._history_user = by
        goal.save()
        goal_progress_refresh(as_of=as_of, goal_ids=[goal.pk])
    goal.refresh_from_db()
    return goal


def goal_remove(*, goal: Goal, by: User) -> None:
    goal._history_user = by
    goal.delete()


def _check_owner(*, plan: GrowthPlan, owner: User) -> None:
    """An action's owner must be able to see the account (the one visibility rule)."""
    visible = account_list_visible_to(user=owner).filter(pk=plan.account_id).exists()
    if not visible:
        message = _("%(user)s cannot see this account: choose someone who can.") % {"user": owner}
        raise ValidationError({"owner": message})


def action_add(
    *, plan: GrowthPlan, title: str, owner: User, due_on: dt.date, outcome: str = "", by: User
) -> Action:
    _check_owner(plan=plan, owner=owner)
    action = Action(
        plan=plan, title=title.strip(), owner=owner, due_on=due_on, outcome=outcome, created_by=by
    )
    action._history_user = by
    action.save()
    return action


def action_edit(
    *, action: Action, title: str, owner: User, due_on: dt.date, outcome: str, by: User
) -> Action:
    _check_owner(plan=action.plan, owner=owner)
    action.title, action.owner, action.due_on = title.strip(), owner, due_on
    action.outcome = outcome
    action._history_user = by
    action.save()
    return action


def action_set_status(
    *, action: Action, status: str, outcome: str | None, by: User, today: dt.date
) -> Action:
    """Close an action as done or dropped (on `today`), or open it again; `outcome`, when
    given, replaces the note of what came of it."""
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose open, done or dropped.")})
    if status != action.status:
        action.status = status
        action.closed_on = None if status == ActionStatus.OPEN else today
    if outcome is not None:
        action.outcome = outcome.strip()
    action._history_user = by
    action.save()
    return action
