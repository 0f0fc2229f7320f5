"""The reads other code builds on: the goals behind (the tasks' trigger), the filter's codes,
and the date a goal measured now is measured to."""

import datetime as dt

import pytest

from accounts.models import Account
from accounts.selectors import account_list_visible_to
from plans.enums import GoalKind, GoalState
from plans.models import Goal, GrowthPlan
from plans.selectors import filter_plan, goals_behind, progress_as_of
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun

pytestmark = pytest.mark.django_db

YEAR = {"starts_on": dt.date(2027, 1, 1), "ends_on": dt.date(2027, 12, 31)}


def goal_in(account, state: str) -> Goal:
    plan, _ = GrowthPlan.objects.get_or_create(
        account=account, defaults={"review_on": dt.date(2027, 1, 1)}
    )
    return Goal.objects.create(plan=plan, kind=GoalKind.REVENUE, target=100, state=state, **YEAR)


def test_goals_behind_are_those_the_last_measurement_found_behind(
    own_account, foreign_account, account_manager
):
    behind = goal_in(own_account, GoalState.BEHIND)
    goal_in(own_account, GoalState.ON_TRACK)
    goal_in(own_account, GoalState.MISSED)
    theirs = goal_in(foreign_account, GoalState.BEHIND)
    assert set(goals_behind()) == {behind, theirs}
    assert list(goals_behind(account_list_visible_to(user=account_manager))) == [behind]


def test_an_unknown_plan_filter_is_a_programming_error(own_account):
    with pytest.raises(ValueError, match="someday"):
        filter_plan(Account.objects.all(), "someday", today=dt.date(2027, 1, 1))


def test_a_goal_is_measured_to_the_latest_complete_run_or_yesterday():
    today = dt.date(2027, 3, 16)
    assert progress_as_of(today=today) == dt.date(2027, 3, 15)
    NightlyRun.objects.create(as_of=dt.date(2027, 3, 10), status=RunStatus.COMPLETE)
    NightlyRun.objects.create(as_of=dt.date(2027, 3, 14), status=RunStatus.FAILED)
    assert progress_as_of(today=today) == dt.date(2027, 3, 10)
