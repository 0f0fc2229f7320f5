"""Writes to a plan: each keeps its history (who, when, what), a goal is measured the moment
it is saved, an action's owner must see the account, closing and opening an action again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plans import services
from plans.enums import ActionStatus, GoalKind, GoalState
from plans.history import plan_history
from plans.models import Action, Goal, GrowthPlan
from plans.services import GoalData
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 3, 16)
AS_OF = TODAY - dt.timedelta(days=1)
REVENUE_2027 = GoalData(
    kind=GoalKind.REVENUE,
    target=Decimal(500_000),
    starts_on=dt.date(2027, 1, 1),
    ends_on=dt.date(2027, 12, 31),
)


@pytest.fixture
def plan(own_account, account_manager):
    return services.plan_get_or_create(account=own_account, by=account_manager, today=TODAY)


def test_a_new_plan_is_reviewed_in_ninety_days(plan, own_account, account_manager):
    assert plan.review_on == TODAY + dt.timedelta(days=90)
    again = services.plan_get_or_create(account=own_account, by=account_manager, today=AS_OF)
    assert again == plan and GrowthPlan.objects.count() == 1


def test_a_goal_is_measured_when_it_is_added(plan, own_account, account_manager):
    OrderFactory(account=own_account, ordered_on=dt.date(2027, 2, 1), revenue=Decimal(150_000))
    OrderFactory(account=own_account, ordered_on=TODAY, revenue=Decimal(99_000))  # not yet
    goal = services.goal_add(plan=plan, data=REVENUE_2027, by=account_manager, as_of=AS_OF)
    assert goal.state == GoalState.ON_TRACK
    assert (goal.amount_so_far, goal.share_pct, goal.progress_as_of) == (
        Decimal("150000.00"),
        Decimal("30.0"),
        AS_OF,
    )


def test_a_goal_keeps_only_what_its_kind_uses(plan, account_manager):
    data = GoalData(
        kind=GoalKind.FREE_TEXT,
        target=Decimal(5),
        starts_on=dt.date(2027, 1, 1),
        category="Pumps",
        text="  Meet the new owner  ",
    )
    goal = services.goal_add(plan=plan, data=data, by=account_manager, as_of=AS_OF)
    assert (goal.target, goal.starts_on, goal.category, goal.text) == (
        None,
        None,
        "",
        "Meet the new owner",
    )


def test_an_incomplete_goal_is_refused_with_the_constraints_message(plan, account_manager):
    data = GoalData(kind=GoalKind.REVENUE, target=Decimal(5), starts_on=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError):
        services.goal_add(plan=plan, data=data, by=account_manager, as_of=AS_OF)
    assert not Goal.objects.exists()


def test_goal_changes_keep_their_history(plan, account_manager, sales_manager):
    goal = services.goal_add(plan=plan, data=REVENUE_2027, by=account_manager, as_of=AS_OF)
    bigger = GoalData(**{**REVENUE_2027.__dict__, "target": Decimal(600_000)})
    services.goal_edit(goal=goal, data=bigger, by=sales_manager, as_of=AS_OF)
    goal_id = goal.pk
    services.goal_remove(goal=goal, by=sales_manager)
    records = list(Goal.history.filter(id=goal_id).order_by("history_date"))
    assert [(r.history_type, r.history_user) for r in records] == [
        ("+", account_manager),
        ("~", sales_manager),
        ("-", sales_manager),
    ]
    assert records[1].diff_against(records[0]).changed_fields == ["target"]


def test_the_history_says_who_changed_what_and_when(plan, own_account, account_manager):
    goal = services.goal_add(plan=plan, data=REVENUE_2027, by=account_manager, as_of=AS_OF)
    bigger = GoalData(**{**REVENUE_2027.__dict__, "target": Decimal(600_000)})
    services.goal_edit(goal=goal, data=bigger, by=account_manager, as_of=AS_OF)
    action = services.action_add(
        plan=plan, title="Call the buyer", owner=account_manager, due_on=TODAY, by=account_manager
    )
    services.action_set_status(
        action=action, status=ActionStatus.DONE, outcome="Ordered", by=account_manager, today=TODAY
    )
    entries = plan_history(plan=plan)
    newest = entries[0]
    assert (newest.who, newest.what, newest.subject) == (
        account_manager,
        "changed",
        "Action: Call the buyer",
    )
    assert [(c.field, c.before, c.after) for c in newest.changes] == [
        ("Status", "Open", "Done"),
        ("Outcome", "", "Ordered"),
        ("Closed on", "", "16/03/2027"),
    ]
    target_change = next(e for e in entries if e.subject.startswith("Goal") and e.what == "changed")
    assert [(c.field, c.before, c.after) for c in target_change.changes] == [
        ("Target", "₪500,000", "₪600,000")
    ]
    assert entries[-1].subject == "The plan" and entries[-1].what == "created"
    assert all(e.when is not None for e in entries)


def test_the_history_costs_four_queries_however_long(
    plan, account_manager, django_assert_num_queries
):
    for i in range(5):
        services.action_add(
            plan=plan, title=f"Step {i}", owner=account_manager, due_on=TODAY, by=account_manager
        )
    with django_assert_num_queries(4):
        plan_history(plan=plan)


def test_an_action_owner_must_see_the_account(plan, account_manager, stranger, sales_manager):
    with pytest.raises(ValidationError) as refused:
        services.action_add(
            plan=plan, title="Visit", owner=stranger, due_on=TODAY, by=account_manager
        )
    assert "owner" in refused.value.message_dict
    action = services.action_add(
        plan=plan, title="Visit", owner=sales_manager, due_on=TODAY, by=account_manager
    )
    assert action.owner == sales_manager


def test_closing_an_action_dates_it_and_opening_it_again_clears_the_date(plan, account_manager):
    action = services.action_add(
        plan=plan, title="Visit", owner=account_manager, due_on=TODAY, by=account_manager
    )
    services.action_set_status(
        action=action, status=ActionStatus.DROPPED, outcome=None, by=account_manager, today=TODAY
    )
    action.refresh_from_db()
    assert (action.status, action.closed_on) == (ActionStatus.DROPPED, TODAY)
    services.action_set_status(
        action=action,
        status=ActionStatus.OPEN,
        outcome="Try again",
        by=account_manager,
        today=TODAY,
    )
    action.refresh_from_db()
    assert (action.status, action.closed_on, action.outcome) == (
        ActionStatus.OPEN,
        None,
        "Try again",
    )


def test_an_unknown_status_is_refused(plan, account_manager):
    action = services.action_add(
        plan=plan, title="Visit", owner=account_manager, due_on=TODAY, by=account_manager
    )
    with pytest.raises(ValidationError):
        services.action_set_status(
            action=action, status="later", outcome=None, by=account_manager, today=TODAY
        )
    assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN
