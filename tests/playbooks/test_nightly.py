"""The nightly run creates the tasks the default playbooks call for, inside its all-or-nothing
transaction: once per event, never twice for a night, cleared by the data but left open."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Account, EventKind
from playbooks.enums import TaskStatus
from playbooks.facts import previous_complete_run
from playbooks.models import Playbook, Task
from playbooks.nightly import playbooks_step
from playbooks.triggers import AccountState, Rule, tasks_to_create
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot, SegmentAssignment
from segmentation.pipeline import nightly_run_start
from tests.assessments.conftest import submit_assessment
from tests.factories import AccountEventFactory, AccountFactory, OrderFactory
from tests.playbooks.conftest import (
    AS_OF,
    CALL_THE_BUYER,
    FILL_ASSESSMENT,
    GO_OVER_GAP,
    MEET_ABOUT_COMPETITOR,
    REVIEW_CHURN,
    weekly_orders,
)
from tests.support import restore_question_template

NEXT = AS_OF + dt.timedelta(days=1)


def failing_step(run: NightlyRun) -> None:
    raise RuntimeError("a later step failed")


@pytest.fixture
def quiet(own_account):
    """am1's weekly buyer, silent for two months: overdue, high risk, defend."""
    weekly_orders(own_account, last=AS_OF - dt.timedelta(days=60))
    return own_account


@pytest.fixture
def busy(account_manager):
    account = AccountFactory(owner=account_manager, name="Busy Ltd")
    weekly_orders(account, last=AS_OF - dt.timedelta(days=2))
    return account


def tasks(**filters) -> list[tuple[str, str, str]]:
    rows = Task.objects.filter(**filters).order_by("account__name", "playbook__title_en")
    return list(rows.values_list("account__name", "playbook__title_en", "assignee__username"))


def test_a_run_creates_the_tasks_its_triggers_call_for(quiet, busy, sales_manager):
    run = nightly_run_start(as_of=AS_OF)
    assert run.status == RunStatus.COMPLETE
    assert tasks() == [
        ("Own Ltd", CALL_THE_BUYER, "am1"),
        ("Own Ltd", REVIEW_CHURN, "manager"),  # a programme account at high risk
    ]
    call = Task.objects.get(playbook__title_en=CALL_THE_BUYER)
    assert (call.fired_on, call.due_on, call.status) == (AS_OF, dt.date(2026, 11, 5), "open")
    assert call.priority == "high" and call.cleared_on is None
    assert call.evidence["flag"]["code"] == "overdue"
    assert call.evidence["flag"]["evidence"]["days_since_last_order"] == 60
    review = Task.objects.get(playbook__title_en=REVIEW_CHURN)
    assert review.evidence["level"] == "high" and review.due_on == dt.date(2026, 11, 7)
    assert "overdue" in [flag["code"] for flag in review.evidence["flags"]]
    assert run.timings["playbooks_s"] >= 0


def test_rerunning_a_night_creates_nothing_new(quiet):
    nightly_run_start(as_of=AS_OF)
    first = set(Task.objects.values_list("pk", "playbook_id", "account_id"))
    nightly_run_start(as_of=AS_OF)
    assert set(Task.objects.values_list("pk", "playbook_id", "account_id")) == first


def test_rerunning_a_night_creates_nothing_even_after_its_task_was_closed(quiet):
    nightly_run_start(as_of=AS_OF)
    Task.objects.update(status=TaskStatus.DONE, outcome="reached", closed_at=timezone.now())
    nightly_run_start(as_of=AS_OF)
    assert Task.objects.filter(status=TaskStatus.OPEN).count() == 0


def test_the_next_night_adds_no_task_while_the_state_lasts(quiet):
    nightly_run_start(as_of=AS_OF)
    count = Task.objects.count()
    Task.objects.filter(playbook__title_en=CALL_THE_BUYER).update(
        status=TaskStatus.DONE, outcome="reached", closed_at=timezone.now()
    )
    nightly_run_start(as_of=NEXT)  # still overdue and high: no new event
    assert Task.objects.count() == count


def test_a_task_whose_trigger_no_longer_holds_is_cleared_but_stays_open(quiet):
    nightly_run_start(as_of=AS_OF)
    OrderFactory(account=quiet, ordered_on=NEXT)  # the customer orders again
    nightly_run_start(as_of=NEXT)
    call = Task.objects.get(playbook__title_en=CALL_THE_BUYER)
    assert (call.status, call.cleared_on) == (TaskStatus.OPEN, NEXT)


def test_a_cleared_task_loses_the_mark_when_its_trigger_holds_again(quiet):
    nightly_run_start(as_of=AS_OF)
    Task.objects.update(cleared_on=AS_OF)
    nightly_run_start(as_of=NEXT)
    assert not Task.objects.filter(cleared_on__isnull=False).exists()


def test_a_failed_run_creates_no_task_and_clears_none(quiet, settings):
    nightly_run_start(as_of=AS_OF)
    before = list(Task.objects.values_list("pk", "cleared_on"))
    OrderFactory(account=quiet, ordered_on=NEXT)  # would clear the call
    AccountEventFactory(account=quiet, kind=EventKind.COMPETITOR, occurred_on=NEXT)  # a new task
    settings.NIGHTLY_FINAL_STEPS = [*settings.NIGHTLY_FINAL_STEPS, f"{__name__}.failing_step"]
    with pytest.raises(RuntimeError, match="a later step failed"):
        nightly_run_start(as_of=NEXT)
    assert NightlyRun.objects.get(as_of=NEXT).status == RunStatus.FAILED
    assert list(Task.objects.values_list("pk", "cleared_on")) == before


def test_competitor_activity_asks_for_a_meeting_with_its_evidence(busy):
    AccountEventFactory(account=busy, kind=EventKind.COMPETITOR, occurred_on=AS_OF)
    nightly_run_start(as_of=AS_OF)
    meeting = Task.objects.get(playbook__title_en=MEET_ABOUT_COMPETITOR)
    assert meeting.account == busy and meeting.due_on == dt.date(2026, 11, 14)
    assert meeting.evidence["flag"] == {
        "code": "competitor",
        "evidence": {"last_on": "2026-10-31", "count": 1},
    }


def test_an_account_without_an_owner_gets_an_unassigned_task(db):
    account = AccountFactory(owner=None, name="Nobody's Ltd")
    weekly_orders(account, last=AS_OF - dt.timedelta(days=60))
    nightly_run_start(as_of=AS_OF)
    assert tasks() == [("Nobody's Ltd", CALL_THE_BUYER, None)]


def test_an_inactive_playbook_creates_nothing(quiet):
    Playbook.objects.update(active=False)
    nightly_run_start(as_of=AS_OF)
    assert not Task.objects.exists()


def test_a_backfill_of_an_older_date_changes_no_task(quiet):
    nightly_run_start(as_of=AS_OF)
    Task.objects.all().delete()
    nightly_run_start(as_of=AS_OF - dt.timedelta(days=7))
    assert not Task.objects.exists()


def test_an_overdue_assessment_asks_for_one(busy):
    restore_question_template()
    joined = timezone.make_aware(dt.datetime(2026, 1, 5, 9))
    type(busy).objects.filter(pk=busy.pk).update(created_at=joined)
    nightly_run_start(as_of=AS_OF)
    assert SegmentAssignment.objects.get(account=busy).programme == "admitted"
    task = Task.objects.get(playbook__title_en=FILL_ASSESSMENT)
    assert task.account == busy
    assert task.evidence == {
        "trigger": "assessment_overdue",
        "due_on": "2026-01-05",
        "last_on": None,
    }


def test_an_assessment_within_its_cadence_asks_for_nothing(busy, account_manager):
    restore_question_template()
    submit_assessment(account=busy, by=account_manager, scales={4: 3}, on=AS_OF)
    nightly_run_start(as_of=AS_OF)
    assert not Task.objects.filter(playbook__title_en=FILL_ASSESSMENT).exists()


def test_a_perception_gap_asks_to_go_over_the_answer(busy, account_manager):
    restore_question_template()
    gap = {"question": 4, "answer": 5, "claimed": "grow", "yoy_growth_pct": "-40.0"}
    done = submit_assessment(
        account=busy, by=account_manager, scales={4: 5}, on=AS_OF - dt.timedelta(days=3), gap=gap
    )
    nightly_run_start(as_of=AS_OF)
    task = Task.objects.get(playbook__title_en=GO_OVER_GAP)
    assert (task.account, task.assignee) == (busy, account_manager)
    assert task.evidence == {
        "trigger": "perception_gap",
        "assessment_id": done.pk,
        "submitted_on": "2026-10-28",
        "gap": gap,
    }


def test_the_step_costs_the_same_queries_for_few_or_many_accounts(account_manager):
    def queries_for(accounts: int) -> int:
        for _ in range(accounts):
            weekly_orders(
                AccountFactory(owner=account_manager), last=AS_OF - dt.timedelta(days=60), weeks=6
            )
        run = nightly_run_start(as_of=AS_OF)
        Task.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            playbooks_step(run)
        return len(captured)

    assert queries_for(2) == queries_for(10)
    assert Task.objects.count() >= 12


BEHIND: dict[dt.date, dict[int, dict[int, dict]]] = {}


def goals_behind(*, as_of: dt.date) -> dict[int, dict[int, dict]]:
    """A stand-in for the growth plans' provider (settings.PLAYBOOK_GOALS_BEHIND)."""
    return BEHIND.get(as_of, {})


def test_a_goal_falling_behind_asks_for_a_task_through_the_provider(busy, settings):
    Playbook.objects.create(trigger="goal_behind", title_en="Catch up on the goal", due_in_days=10)
    nightly_run_start(as_of=AS_OF)  # no provider configured: no goal is ever behind
    assert not Task.objects.exists()
    settings.PLAYBOOK_GOALS_BEHIND = f"{__name__}.goals_behind"
    BEHIND.clear()
    BEHIND[NEXT] = {busy.pk: {3: {"goal_id": 3, "title": "₪500,000 in 2027"}}}
    nightly_run_start(as_of=NEXT)
    task = Task.objects.get(playbook__title_en="Catch up on the goal")
    assert task.evidence == {"trigger": "goal_behind", "goals": [BEHIND[NEXT][busy.pk][3]]}


def test_an_account_entering_a_segment(quiet, busy):
    Playbook.objects.create(
        trigger="segment_entered", trigger_segment="defend", title_en="Defend it", due_in_days=3
    )
    nightly_run_start(as_of=AS_OF)
    assert tasks(playbook__title_en="Defend it") == [("Own Ltd", "Defend it", "am1")]
    task = Task.objects.get(playbook__title_en="Defend it")
    assert task.evidence == {
        "trigger": "segment_entered",
        "segment": "defend",
        "now": "defend",
        "before": "",
    }


def plain_states(run: NightlyRun, previous: NightlyRun) -> dict:
    """Every account's state read the plain way: every snapshot, every flag with its evidence."""

    def state(r: NightlyRun, account_id: int) -> AccountState:
        snap = RiskSnapshot.objects.filter(run=r, account_id=account_id).first()
        place = SegmentAssignment.objects.filter(run=r, account_id=account_id).first()
        return AccountState(
            as_of=r.as_of,
            level=snap.level if snap else "",
            score=snap.score if snap else None,
            flags={f["code"]: f["evidence"] for f in snap.flags} if snap else {},
            programme=place.programme if place else "no",
        )

    return {a.pk: (state(run, a.pk), state(previous, a.pk)) for a in Account.objects.all()}


def test_the_lean_read_gives_the_tasks_the_plain_read_gives(quiet, busy, account_manager):
    """The step reads only the flags' codes, and only where a watched trigger may hold, then
    the evidence of the accounts that fired: the same tasks as reading everything."""
    week_before = AS_OF - dt.timedelta(days=7)
    others = [AccountFactory(owner=account_manager) for _ in range(4)]
    for i, account in enumerate(others):
        weekly_orders(account, last=AS_OF - dt.timedelta(days=3 + 12 * i), weeks=8)
    AccountEventFactory(account=others[1], kind=EventKind.COMPETITOR, occurred_on=AS_OF)
    few = AccountFactory(owner=account_manager, name="Few Ltd")  # new this week, two orders
    for days in (5, 2):
        OrderFactory(account=few, ordered_on=AS_OF - dt.timedelta(days=days))
    Playbook.objects.exclude(trigger__in=["flag_raised", "level_high"]).update(active=False)
    Playbook.objects.create(trigger="flag_raised", trigger_flag="few_orders", title_en="Few")
    nightly_run_start(as_of=week_before)
    Task.objects.all().delete()
    run = nightly_run_start(as_of=AS_OF)
    rules = [
        Rule(p.pk, p.rule, p.due_in_days, p.priority, p.assignee)
        for p in Playbook.objects.filter(active=True)
    ]
    expected = tasks_to_create(rules, plain_states(run, previous_complete_run(run)), as_of=AS_OF)
    made = Task.objects.values_list("playbook_id", "account_id", "evidence")
    assert Task.objects.get(playbook__title_en="Few").account == few
    assert RiskSnapshot.objects.get(run=run, account=few).level != "high"
    assert Task.objects.filter(playbook__title_en=MEET_ABOUT_COMPETITOR).exists()
    assert sorted(made, key=str) == sorted(
        [(t.playbook_id, t.account_id, t.evidence) for t in expected], key=str
    )
