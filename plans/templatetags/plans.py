"""Blocks other pages include: `{% growth_plan_card account %}` on the account page and
`{% plan_actions_overdue %}` (the signed-in person's overdue actions) on the home pages."""

from django import template
from django.utils import timezone

from accounts.models import Account
from plans.enums import GoalState
from plans.selectors import actions_overdue, plan_card

register = template.Library()
OVERDUE_SHOWN = 10

BADGES: dict[str, str] = {
    GoalState.MET: "text-bg-success",
    GoalState.ON_TRACK: "text-bg-success",
    GoalState.BEHIND: "text-bg-danger",
    GoalState.MISSED: "text-bg-danger",
    GoalState.PENDING: "text-bg-secondary",
    GoalState.NOT_STARTED: "text-bg-light",
}


@register.filter
def goal_badge(state: str) -> str:
    """The badge colour of a goal's state."""
    return BADGES.get(state, "text-bg-light")


@register.inclusion_tag("plans/_card.html")
def growth_plan_card(account: Account) -> dict:
    today = timezone.localdate()
    return {"account": account, "card": plan_card(account=account, today=today), "today": today}


@register.inclusion_tag("plans/_actions_overdue.html", takes_context=True)
def plan_actions_overdue(context: template.Context) -> dict:
    overdue = actions_overdue(user=context["request"].user, today=timezone.localdate())
    shown = list(overdue[: OVERDUE_SHOWN + 1])
    return {
        "actions": shown[:OVERDUE_SHOWN],
        "more": len(shown) > OVERDUE_SHOWN,
        "total": overdue.count() if len(shown) > OVERDUE_SHOWN else len(shown),
    }
