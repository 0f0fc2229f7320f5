"""The database holds the plan's rules: each named constraint refuses a bad row on its own
(.create() skips model validation, so the refusal can only come from PostgreSQL)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from plans.enums import ActionStatus, GoalKind
from plans.models import Action, Goal, GrowthPlan

pytestmark = pytest.mark.django_db

DAY = dt.date(2027, 1, 1)
YEAR = {"starts_on": DAY, "ends_on": dt.date(2027, 12, 31)}


def refused(match: str):
    return pytest.raises(IntegrityError, match=match)


@pytest.fixture
def plan(own_account):
    return GrowthPlan.objects.create(account=own_account, review_on=DAY)


def test_an_account_has_one_plan(plan, own_account):
    with refused("account_id"), transaction.atomic():
        GrowthPlan.objects.create(account=own_account, review_on=DAY)


def test_a_goal_kind_is_one_of_the_choices(plan):
    with refused("goal_kind_valid"), transaction.atomic():
        Goal.objects.create(plan=plan, kind="dream", text="Be friends")


def test_a_goal_state_is_one_of_the_choices_or_none(plan):
    with refused("goal_state_valid"), transaction.atomic():
        Goal.objects.create(plan=plan, kind=GoalKind.FREE_TEXT, text="x", state="soon")


@pytest.mark.parametrize(
    "fields",
    [
        {"target": None, **YEAR},
        {"target": 0, **YEAR},
        {"target": 100, "starts_on": DAY},
        {"target": 100, "ends_on": DAY},
    ],
)
def test_an_amount_goal_has_a_positive_target_and_a_period(plan, fields):
    with refused("goal_target_for_amounts_only"), transaction.atomic():
        Goal.objects.create(plan=plan, kind=GoalKind.GROSS_PROFIT, **fields)


def test_no_other_goal_has_a_target(plan):
    with refused("goal_target_for_amounts_only"), transaction.atomic():
        Goal.objects.create(plan=plan, kind=GoalKind.FREE_TEXT, text="x", target=100)


@pytest.mark.parametrize(
    "fields", [{"category": "", **YEAR}, {"category": "Pumps", "starts_on": DAY}]
)
def test_a_category_goal_names_its_category_and_its_dates(plan, fields):
    with refused("goal_category_named_and_dated"), transaction.atomic():
        Goal.objects.create(plan=plan, kind=GoalKind.CATEGORY, **fields)


def test_a_free_text_goal_has_its_text(plan):
    with refused("goal_free_text_has_text"), transaction.atomic():
        Goal.objects.create(plan=plan, kind=GoalKind.FREE_TEXT, text="")


def test_a_period_ends_on_or_after_its_start(plan):
    with refused("goal_period_ordered"), transaction.atomic():
        Goal.objects.create(
            plan=plan,
            kind=GoalKind.REVENUE,
            target=1,
            starts_on=DAY,
            ends_on=DAY - dt.timedelta(days=1),
        )


def test_the_expected_share_lies_between_0_and_100(plan):
    with refused("goal_expected_share_0_100"), transaction.atomic():
        Goal.objects.create(
            plan=plan, kind=GoalKind.REVENUE, target=1, expected_share_pct=101, **YEAR
        )


def action(plan, owner, **fields) -> Action:
    return Action.objects.create(plan=plan, owner=owner, due_on=DAY, **({"title": "Call"} | fields))


def test_an_action_status_is_one_of_the_choices(plan, account_manager):
    with refused("action_status_valid"), transaction.atomic():
        action(plan, account_manager, status="later", closed_on=DAY)


def test_an_action_has_a_title(plan, account_manager):
    with refused("action_title_set"), transaction.atomic():
        action(plan, account_manager, title="")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": ActionStatus.OPEN, "closed_on": DAY},
        {"status": ActionStatus.DONE},
        {"status": ActionStatus.DROPPED},
    ],
)
def test_only_a_closed_action_has_a_closing_date(plan, account_manager, fields):
    with refused("action_closed_on_when_closed"), transaction.atomic():
        action(plan, account_manager, **fields)


def test_a_good_row_of_each_kind_is_accepted(plan, account_manager):
    Goal.objects.create(plan=plan, kind=GoalKind.REVENUE, target=1, **YEAR)
    Goal.objects.create(plan=plan, kind=GoalKind.CATEGORY, category="Pumps", **YEAR)
    Goal.objects.create(plan=plan, kind=GoalKind.FREE_TEXT, text="Meet the owner")
    action(plan, account_manager, status=ActionStatus.DONE, closed_on=DAY)
    assert plan.goals.count() == 3 and plan.actions.count() == 1
