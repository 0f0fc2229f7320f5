"""The reads other code builds on: the goals behind as of a date (the tasks' trigger), the
filter's codes, and the date a goal measured now is measured to."""

import datetime as dt

import pytest
from django.utils.module_loading import import_string

from accounts.models import Account
from plans.enums import GoalKind
from plans.models import Goal, GrowthPlan
from plans.selectors import filter_plan, goals_behind_as_of, progress_as_of
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

YEAR = {"starts_on": dt.date(2027, 1, 1), "ends_on": dt.date(2027, 12, 31)}


def goal_in(account, *, kind: str = GoalKind.REVENUE, **fields) -> Goal:
    plan, _ = GrowthPlan.objects.get_or_create(
        account=account, defaults={"review_on": dt.date(2027, 1, 1)}
    )
    if kind == GoalKind.REVENUE:
        fields = {"target": 100, **YEAR, **fields}
    return Goal.objects.create(plan=plan, kind=kind, **fields)


def test_goals_behind_are_measured_afresh_for_any_date(own_account, foreign_account):
    """A 1,200 revenue goal for 2027: by 1 July (182 of 365 days, 49.9%) 100 sold is behind,
    700 is on track; on 1 February (32 days, 8.8%) the same 100 (8.3%) is just behind."""
    behind = goal_in(own_account, target=1200)
    goal_in(foreign_account, target=1200)  # on track: its orders below
    goal_in(own_account, kind=GoalKind.FREE_TEXT, text="Meet the board")  # not measured
    OrderFactory(account=own_account, ordered_on=dt.date(2027, 1, 20), revenue=100)
    OrderFactory(account=foreign_account, ordered_on=dt.date(2027, 1, 20), revenue=700)
    july = goals_behind_as_of(as_of=dt.date(2027, 7, 1))
    assert july == {
        own_account.pk: {
            behind.pk: {
                "goal_id": behind.pk,
                "kind": "revenue",
                "target": "1200.00",
                "starts_on": "2027-01-01",
                "ends_on": "2027-12-31",
                "share_pct": "8.3",
                "expected_share_pct": "49.9",
            }
        }
    }
    assert list(goals_behind_as_of(as_of=dt.date(2027, 2, 1))) == [own_account.pk]
    assert goals_behind_as_of(as_of=dt.date(2026, 12, 31)) == {}  # not started yet


def test_the_tasks_trigger_reads_the_goals_through_the_setting(settings):
    assert import_string(settings.PLAYBOOK_GOALS_BEHIND) is goals_behind_as_of


def test_an_unknown_plan_filter_is_a_programming_error(own_account):
    with pytest.raises(ValueError, match="someday"):
        filter_plan(Account.objects.all(), "someday", today=dt.date(2027, 1, 1))


def test_a_goal_is_measured_to_the_latest_complete_run_or_yesterday():
    today = dt.date(2027, 3, 16)
    assert progress_as_of(today=today) == dt.date(2027, 3, 15)
    NightlyRun.objects.create(as_of=dt.date(2027, 3, 10), status=RunStatus.COMPLETE)
    NightlyRun.objects.create(as_of=dt.date(2027, 3, 14), status=RunStatus.FAILED)
    assert progress_as_of(today=today) == dt.date(2027, 3, 10)
