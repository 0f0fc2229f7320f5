"""Reads of growth plans: the plan page, the account page's card, each person's overdue actions,
the portfolio filter, and the goals behind (which the tasks' trigger reads). Callers have
checked that the user may see the account; the lists start from the visibility rule."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from accounts.models import Account
from accounts.selectors import account_list_visible_to
from plans.enums import AMOUNT_KINDS, ActionStatus, GoalState, PlanFilter
from plans.models import Action, Goal, GrowthPlan
from plans.nightly import measured_goals, progress_of
from segmentation.models import NightlyRun
from users.models import User


def progress_as_of(*, today: dt.date) -> dt.date:
    """The day a goal measured now is measured to: the latest complete nightly run's date, so a
    new goal reads like the others, or yesterday (the last complete day) before any run."""
    run = NightlyRun.objects.latest_complete()
    return run.as_of if run is not None else today - dt.timedelta(days=1)


@dataclass(frozen=True)
class PlanView:
    """A plan with its goals and actions, loaded for a page (None: the account has none)."""

    plan: GrowthPlan | None
    goals: list[Goal]
    actions: list[Action]


def plan_view(*, account: Account) -> PlanView:
    """The account's plan, goals and actions (with their owners): three queries at most."""
    plan = GrowthPlan.objects.filter(account=account).first()
    if plan is None:
        return PlanView(None, [], [])
    goals = list(plan.goals.all())
    actions = list(plan.actions.select_related("owner"))
    return PlanView(plan, goals, actions)


@dataclass(frozen=True)
class PlanCard:
    """The plan in brief for the account page: goals, and its open and overdue actions."""

    plan: GrowthPlan | None
    goals: list[Goal]
    open_actions: int = 0
    overdue_actions: int = 0


def plan_card(*, account: Account, today: dt.date) -> PlanCard:
    """Two queries (one without a plan): the plan with its action counts, then its goals."""
    is_open = Q(actions__status=ActionStatus.OPEN)
    plan = (
        GrowthPlan.objects.filter(account=account)
        .annotate(
            open_actions=Count("actions", filter=is_open),
            overdue_actions=Count("actions", filter=is_open & Q(actions__due_on__lt=today)),
        )
        .first()
    )
    if plan is None:
        return PlanCard(None, [])
    return PlanCard(plan, list(plan.goals.all()), plan.open_actions, plan.overdue_actions)


def actions_overdue(*, user: User, today: dt.date) -> QuerySet[Action]:
    """`user`'s open actions past their due date, on accounts they may still see, oldest first."""
    return (
        Action.objects.filter(owner=user, status=ActionStatus.OPEN, due_on__lt=today)
        .filter(plan__account__in=account_list_visible_to(user=user))
        .select_related("plan__account")
        .order_by("due_on", "id")
    )


def goals_behind_as_of(*, as_of: dt.date) -> dict[int, dict[int, dict[str, Any]]]:
    """Every goal behind its straight line as of `as_of`, measured afresh from the orders (the
    stored state is only the latest night's; the tasks' trigger also asks about the night
    before): {account id: {goal id: evidence}}. Two statements whatever the number of goals.
    The provider settings.PLAYBOOK_GOALS_BEHIND names; the evidence holds plain JSON values."""
    behind = {
        figures.goal_id: progress
        for figures in measured_goals(as_of=as_of)
        if (progress := progress_of(figures, as_of=as_of)).state == GoalState.BEHIND
    }
    if not behind:
        return {}
    rows = Goal.objects.filter(kind__in=AMOUNT_KINDS).values_list(
        "pk", "plan__account_id", "kind", "target", "starts_on", "ends_on"
    )
    found: dict[int, dict[int, dict[str, Any]]] = {}
    for pk, account_id, kind, target, starts_on, ends_on in rows:
        if pk in behind:  # an amount goal: a constraint gives it a target and a period
            found.setdefault(account_id, {})[pk] = {
                "goal_id": pk,
                "kind": kind,
                "target": str(target),
                "starts_on": str(starts_on),
                "ends_on": str(ends_on),
                "share_pct": str(behind[pk].share_pct),
                "expected_share_pct": str(behind[pk].expected_share_pct),
            }
    return found


def filter_plan(accounts: QuerySet[Account], choice: str, *, today: dt.date) -> QuerySet[Account]:
    """The account list's growth-plan filter (PlanFilter)."""
    plans = GrowthPlan.objects.filter(account=OuterRef("pk"))
    if choice == PlanFilter.NONE:
        return accounts.filter(~Exists(plans))
    if choice == PlanFilter.HAS:
        return accounts.filter(Exists(plans))
    if choice == PlanFilter.REVIEW_OVERDUE:
        return accounts.filter(Exists(plans.filter(review_on__lt=today)))
    if choice == PlanFilter.GOAL_BEHIND:
        behind = Goal.objects.filter(plan__account=OuterRef("pk"), state=GoalState.BEHIND)
        return accounts.filter(Exists(behind))
    raise ValueError(f"Unknown growth-plan filter {choice!r}.")
