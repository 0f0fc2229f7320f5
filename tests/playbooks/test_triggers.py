"""The triggers, on states whose answer is known: each fires on the run that first sees its
event, holds while the state lasts, and names the evidence. No database."""

import datetime as dt
from decimal import Decimal

import pytest

from playbooks.enums import Assignee, TriggerKind
from playbooks.triggers import (
    AccountState,
    Gap,
    Rule,
    Trigger,
    assignee_for,
    fires,
    holds,
    tasks_no_longer_holding,
    tasks_to_create,
    with_assignees,
)

TODAY = dt.date(2026, 10, 31)
YESTERDAY = TODAY - dt.timedelta(days=1)
OVERDUE = {"days_since_last_order": 94, "usual_gap_days": 30}
COMPETITOR = {"last_on": "2026-10-20", "count": 2}


def now(**fields) -> AccountState:
    return AccountState(as_of=TODAY, **fields)


def before(**fields) -> AccountState:
    return AccountState(as_of=YESTERDAY, **fields)


NOTHING = before()
FLAG = Trigger(TriggerKind.FLAG_RAISED, flag="overdue")
HIGH = Trigger(TriggerKind.LEVEL_HIGH)


class TestFlagRaised:
    def test_it_fires_when_the_flag_is_new_with_its_evidence(self):
        evidence = fires(FLAG, now(flags={"overdue": OVERDUE}), NOTHING)
        assert evidence == {
            "trigger": "flag_raised",
            "flag": {"code": "overdue", "evidence": OVERDUE},
        }

    def test_it_does_not_fire_again_while_the_flag_stays(self):
        assert fires(FLAG, now(flags={"overdue": OVERDUE}), before(flags={"overdue": {}})) is None

    def test_it_ignores_other_flags(self):
        state = now(flags={"competitor": COMPETITOR})
        assert fires(FLAG, state, NOTHING) is None
        assert not holds(FLAG, state)

    def test_it_holds_while_the_flag_is_raised(self):
        assert holds(FLAG, now(flags={"overdue": OVERDUE}))
        assert not holds(FLAG, now())

    def test_it_fires_again_after_the_flag_went_down_and_came_back(self):
        assert fires(FLAG, now(flags={"overdue": OVERDUE}), before(flags={})) is not None


class TestLevelHigh:
    def test_it_fires_when_risk_becomes_high(self):
        state = now(level="high", score=Decimal("71.5"), flags={"overdue": OVERDUE})
        evidence = fires(HIGH, state, before(level="medium"))
        assert evidence == {
            "trigger": "level_high",
            "level": "high",
            "score": "71.5",
            "previous_level": "medium",
            "flags": [{"code": "overdue", "evidence": OVERDUE}],
        }

    def test_it_does_not_fire_when_it_was_high_already(self):
        assert fires(HIGH, now(level="high"), before(level="high")) is None

    @pytest.mark.parametrize("level", ["low", "medium", ""])
    def test_it_does_not_hold_below_high(self, level):
        assert not holds(HIGH, now(level=level))
        assert fires(HIGH, now(level=level), NOTHING) is None

    def test_programme_only_sees_only_programme_accounts(self):
        trigger = Trigger(TriggerKind.LEVEL_HIGH, programme_only=True)
        assert fires(trigger, now(level="high", programme="waitlisted"), NOTHING) is None
        assert fires(trigger, now(level="high", programme="admitted"), NOTHING) is not None

    def test_a_high_account_entering_the_programme_fires_the_programme_only_trigger(self):
        trigger = Trigger(TriggerKind.LEVEL_HIGH, programme_only=True)
        state = now(level="high", programme="admitted")
        assert fires(trigger, state, before(level="high", programme="no")) is not None


class TestSegments:
    ENTERED = Trigger(TriggerKind.SEGMENT_ENTERED, segment="defend")
    LEFT = Trigger(TriggerKind.SEGMENT_LEFT, segment="strategic")

    def test_entering_fires_on_the_first_run_in_the_segment(self):
        evidence = fires(self.ENTERED, now(segment="defend"), before(segment="grow"))
        assert evidence == {
            "trigger": "segment_entered",
            "segment": "defend",
            "now": "defend",
            "before": "grow",
        }
        assert fires(self.ENTERED, now(segment="defend"), before(segment="defend")) is None
        assert fires(self.ENTERED, now(segment="grow"), NOTHING) is None

    def test_leaving_fires_on_the_first_run_out_of_the_segment(self):
        evidence = fires(self.LEFT, now(segment="grow"), before(segment="strategic"))
        assert evidence == {
            "trigger": "segment_left",
            "segment": "strategic",
            "now": "grow",
            "before": "strategic",
        }
        assert fires(self.LEFT, now(), before(segment="strategic")) is not None
        assert fires(self.LEFT, now(segment="strategic"), before(segment="strategic")) is None

    def test_an_account_never_in_the_segment_has_not_left_it(self):
        assert fires(self.LEFT, now(segment="grow"), NOTHING) is None

    def test_leaving_holds_while_the_account_stays_out(self):
        assert holds(self.LEFT, now(segment="grow"))
        assert not holds(self.LEFT, now(segment="strategic"))


class TestProgramme:
    ENTERED = Trigger(TriggerKind.PROGRAMME_ENTERED)
    LEFT = Trigger(TriggerKind.PROGRAMME_LEFT)

    def test_entering_and_leaving(self):
        admitted, waitlisted = now(programme="admitted"), before(programme="waitlisted")
        assert fires(self.ENTERED, admitted, waitlisted) == {
            "trigger": "programme_entered",
            "programme": "admitted",
            "before": "waitlisted",
        }
        assert fires(self.ENTERED, admitted, before(programme="admitted")) is None
        assert fires(self.LEFT, now(programme="waitlisted"), before(programme="admitted")) == {
            "trigger": "programme_left",
            "programme": "waitlisted",
            "before": "admitted",
        }
        assert fires(self.LEFT, now(), NOTHING) is None


class TestAssessmentOverdue:
    TRIGGER = Trigger(TriggerKind.ASSESSMENT_OVERDUE)
    LAST = dt.date(2026, 7, 1)

    def test_it_fires_on_the_first_run_after_the_due_date(self):
        due = YESTERDAY  # due yesterday: overdue today, not yet overdue yesterday
        state = now(assessment_due_on=due, last_assessed_on=self.LAST, programme="admitted")
        previously = before(assessment_due_on=due, programme="admitted")
        assert fires(self.TRIGGER, state, previously) == {
            "trigger": "assessment_overdue",
            "due_on": "2026-10-30",
            "last_on": "2026-07-01",
        }

    def test_due_today_is_not_overdue(self):
        assert not holds(self.TRIGGER, now(assessment_due_on=TODAY))

    def test_it_does_not_fire_again_the_next_night(self):
        due = YESTERDAY - dt.timedelta(days=1)
        assert (
            fires(self.TRIGGER, now(assessment_due_on=due), before(assessment_due_on=due)) is None
        )

    def test_a_never_assessed_account_fires_when_it_enters_the_programme(self):
        state = now(assessment_due_on=dt.date(2025, 1, 1), programme="admitted")
        assert fires(self.TRIGGER, state, NOTHING)["last_on"] is None

    def test_no_due_date_outside_the_programme(self):
        assert not holds(self.TRIGGER, now())


class TestPerceptionGap:
    TRIGGER = Trigger(TriggerKind.PERCEPTION_GAP)
    GAP = {"question": 4, "answer": 5, "claimed": "grow", "yoy_growth_pct": "-30.0"}

    def test_it_fires_on_a_new_assessment_with_a_gap(self):
        gap = Gap(41, dt.date(2026, 10, 30), self.GAP)
        assert fires(self.TRIGGER, now(gap=gap), NOTHING) == {
            "trigger": "perception_gap",
            "assessment_id": 41,
            "submitted_on": "2026-10-30",
            "gap": self.GAP,
        }

    def test_the_same_assessment_does_not_fire_twice_but_a_new_one_does(self):
        old = Gap(41, dt.date(2026, 9, 1), self.GAP)
        new = Gap(57, dt.date(2026, 10, 30), self.GAP)
        assert fires(self.TRIGGER, now(gap=old), before(gap=old)) is None
        assert fires(self.TRIGGER, now(gap=new), before(gap=old))["assessment_id"] == 57

    def test_a_later_assessment_without_a_gap_clears_it(self):
        assert not holds(self.TRIGGER, now(gap=None))


class TestGoalBehind:
    TRIGGER = Trigger(TriggerKind.GOAL_BEHIND)

    def test_it_fires_for_the_goals_newly_behind(self):
        goals = {7: {"goal_id": 7, "title": "₪500,000 in 2027"}, 9: {"goal_id": 9}}
        assert fires(self.TRIGGER, now(goals_behind=goals), before(goals_behind={7: {}})) == {
            "trigger": "goal_behind",
            "goals": [{"goal_id": 9}],
        }
        assert fires(self.TRIGGER, now(goals_behind=goals), before(goals_behind=goals)) is None

    def test_without_goals_it_never_holds(self):
        assert not holds(self.TRIGGER, now())


class TestAssignee:
    def test_the_owner(self):
        assert assignee_for(Assignee.OWNER, owner_id=5, manager_id=9) == 5

    def test_the_owners_sales_manager(self):
        assert assignee_for(Assignee.SALES_MANAGER, owner_id=5, manager_id=9) == 9

    def test_an_owner_without_a_team_manager_keeps_it(self):
        assert assignee_for(Assignee.SALES_MANAGER, owner_id=5, manager_id=None) == 5

    def test_an_account_without_an_owner_gets_an_unassigned_task(self):
        assert assignee_for(Assignee.SALES_MANAGER, owner_id=None, manager_id=None) is None
        assert assignee_for(Assignee.OWNER, owner_id=None, manager_id=None) is None


class TestPlanning:
    RULES = [
        Rule(1, FLAG, 5, "high", Assignee.OWNER),
        Rule(2, HIGH, 7, "normal", Assignee.SALES_MANAGER),
    ]

    def test_a_task_per_playbook_that_fires_due_after_the_run(self):
        states = {
            10: (now(level="high", flags={"overdue": OVERDUE}), before(level="medium")),
            11: (now(flags={"overdue": OVERDUE}), before(flags={"overdue": OVERDUE})),
            12: (now(level="high"), before(level="high")),
        }
        tasks = with_assignees(
            tasks_to_create(self.RULES, states, as_of=TODAY),
            {10: (100, 900), 11: (101, 900)},
        )
        assert [(t.playbook_id, t.account_id, t.assignee_id, t.due_on) for t in tasks] == [
            (1, 10, 100, dt.date(2026, 11, 5)),
            (2, 10, 900, dt.date(2026, 11, 7)),
        ]
        assert tasks[0].priority == "high" and tasks[0].evidence["flag"]["code"] == "overdue"

    def test_open_tasks_whose_trigger_no_longer_holds_are_cleared(self):
        states = {
            10: (now(flags={"overdue": OVERDUE}), NOTHING),
            11: (now(level="medium"), NOTHING),
        }
        open_tasks = [(500, 1, 10), (501, 1, 11), (502, 2, 12), (503, 2, 11)]
        cleared, holding = tasks_no_longer_holding(open_tasks, self.RULES, states, as_of=TODAY)
        assert (cleared, holding) == ([501, 502, 503], [500])
