"""When a playbook's trigger fires for an account, and when it still holds: pure rules over
what two nightly runs saw of one account (no ORM, no clock, no settings).

A trigger is an event: a flag *raised*, risk *becoming* high, an account *entering* a segment.
Each trigger names the occurrences it sees in one run's state of an account (the flag, "high",
the segment, the assessment with a gap, the goals behind). It **holds** while the latest run
sees an occurrence, and **fires** when the latest run sees one the previous complete run did not.
So a task is asked for once per event, not every night while the state lasts. An account the
previous run did not see (or the first night, with no previous run) counts as seen with nothing:
no flag, no segment, outside the programme.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from playbooks.enums import Assignee, TriggerKind
from segmentation.enums import Programme, RiskLevel


@dataclass(frozen=True)
class Gap:
    """The latest submitted assessment of an account, where it records a perception gap."""

    assessment_id: int
    submitted_on: dt.date
    evidence: Mapping[str, Any]


@dataclass(frozen=True)
class AccountState:
    """One account as one nightly run saw it; the defaults are "nothing to see"."""

    as_of: dt.date
    level: str = ""  # churn-risk level; "" when the run did not score the account
    score: Decimal | None = None
    flags: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # code -> evidence
    segment: str = ""
    programme: str = Programme.NO
    # When the next assessment is due (programme accounts only), and the last submitted one.
    assessment_due_on: dt.date | None = None
    last_assessed_on: dt.date | None = None
    gap: Gap | None = None
    goals_behind: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)  # id -> evidence

    @property
    def in_programme(self) -> bool:
        return self.programme == Programme.ADMITTED

    @property
    def assessment_overdue(self) -> bool:
        """Due before the run's date (assessments.rules.is_overdue)."""
        return self.assessment_due_on is not None and self.assessment_due_on < self.as_of


@dataclass(frozen=True)
class Trigger:
    """A playbook's trigger: its kind and what it names (a flag, a segment)."""

    kind: str
    flag: str = ""
    segment: str = ""
    programme_only: bool = False


def _flag(t: Trigger, s: AccountState) -> frozenset[str]:
    return frozenset({t.flag}) if t.flag in s.flags else frozenset()


def _level_high(t: Trigger, s: AccountState) -> frozenset[str]:
    return frozenset({RiskLevel.HIGH.value}) if s.level == RiskLevel.HIGH else frozenset()


def _segment_entered(t: Trigger, s: AccountState) -> frozenset[str]:
    return frozenset({t.segment}) if s.segment == t.segment else frozenset()


def _segment_left(t: Trigger, s: AccountState) -> frozenset[str]:
    # "Out of the segment" is the occurrence: it fires on the run that first sees it out.
    return frozenset({f"out:{t.segment}"}) if s.segment != t.segment else frozenset()


def _programme_entered(t: Trigger, s: AccountState) -> frozenset[str]:
    return frozenset({"in"}) if s.in_programme else frozenset()


def _programme_left(t: Trigger, s: AccountState) -> frozenset[str]:
    return frozenset({"out"}) if not s.in_programme else frozenset()


def _assessment_overdue(t: Trigger, s: AccountState) -> frozenset[str]:
    return frozenset({"overdue"}) if s.assessment_overdue else frozenset()


def _perception_gap(t: Trigger, s: AccountState) -> frozenset[str]:
    # Each assessment with a gap is its own event: a new one fires again.
    return frozenset({str(s.gap.assessment_id)}) if s.gap else frozenset()


def _goal_behind(t: Trigger, s: AccountState) -> frozenset[str]:
    return frozenset(str(goal) for goal in s.goals_behind)


_OCCURRENCES: dict[str, Callable[[Trigger, AccountState], frozenset[str]]] = {
    TriggerKind.FLAG_RAISED: _flag,
    TriggerKind.LEVEL_HIGH: _level_high,
    TriggerKind.SEGMENT_ENTERED: _segment_entered,
    TriggerKind.SEGMENT_LEFT: _segment_left,
    TriggerKind.PROGRAMME_ENTERED: _programme_entered,
    TriggerKind.PROGRAMME_LEFT: _programme_left,
    TriggerKind.ASSESSMENT_OVERDUE: _assessment_overdue,
    TriggerKind.PERCEPTION_GAP: _perception_gap,
    TriggerKind.GOAL_BEHIND: _goal_behind,
}


def occurrences(t: Trigger, s: AccountState) -> frozenset[str]:
    """What of the trigger the run saw on the account (empty: the trigger does not hold).
    A programme-only trigger sees nothing on an account outside the programme."""
    if t.programme_only and not s.in_programme:
        return frozenset()
    return _OCCURRENCES[t.kind](t, s)


def holds(t: Trigger, now: AccountState) -> bool:
    return bool(occurrences(t, now))


def fires(t: Trigger, now: AccountState, before: AccountState) -> dict[str, Any] | None:
    """The evidence to store on a new task when the latest run sees an occurrence the previous
    complete run (`before`) did not; otherwise None."""
    new = occurrences(t, now) - occurrences(t, before)
    if not new:
        return None
    return {"trigger": t.kind, **_EVIDENCE[t.kind](t, now, before, new)}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


Evidence = Callable[[Trigger, AccountState, AccountState, frozenset[str]], dict[str, Any]]


def _flag_evidence(t: Trigger, now: AccountState, b: AccountState, new: frozenset[str]) -> dict:
    return {"flag": {"code": t.flag, "evidence": dict(now.flags[t.flag])}}


def _level_evidence(t: Trigger, now: AccountState, b: AccountState, new: frozenset[str]) -> dict:
    return {
        "level": now.level,
        "score": None if now.score is None else str(now.score),
        "previous_level": b.level,
        "flags": [{"code": c, "evidence": dict(e)} for c, e in now.flags.items()],
    }


def _segment_evidence(t: Trigger, now: AccountState, b: AccountState, new: frozenset[str]) -> dict:
    return {"segment": t.segment, "now": now.segment, "before": b.segment}


def _programme_evidence(
    t: Trigger, now: AccountState, b: AccountState, new: frozenset[str]
) -> dict:
    return {"programme": now.programme, "before": b.programme}


def _overdue_evidence(t: Trigger, now: AccountState, b: AccountState, new: frozenset[str]) -> dict:
    return {"due_on": _iso(now.assessment_due_on), "last_on": _iso(now.last_assessed_on)}


def _gap_evidence(t: Trigger, now: AccountState, b: AccountState, new: frozenset[str]) -> dict:
    assert now.gap is not None  # it fired
    return {
        "assessment_id": now.gap.assessment_id,
        "submitted_on": now.gap.submitted_on.isoformat(),
        "gap": dict(now.gap.evidence),
    }


def _goal_evidence(t: Trigger, now: AccountState, b: AccountState, new: frozenset[str]) -> dict:
    return {"goals": [dict(e) for goal, e in sorted(now.goals_behind.items()) if str(goal) in new]}


_EVIDENCE: dict[str, Evidence] = {
    TriggerKind.FLAG_RAISED: _flag_evidence,
    TriggerKind.LEVEL_HIGH: _level_evidence,
    TriggerKind.SEGMENT_ENTERED: _segment_evidence,
    TriggerKind.SEGMENT_LEFT: _segment_evidence,
    TriggerKind.PROGRAMME_ENTERED: _programme_evidence,
    TriggerKind.PROGRAMME_LEFT: _programme_evidence,
    TriggerKind.ASSESSMENT_OVERDUE: _overdue_evidence,
    TriggerKind.PERCEPTION_GAP: _gap_evidence,
    TriggerKind.GOAL_BEHIND: _goal_evidence,
}


def assignee_for(assignee: str, *, owner_id: int | None, manager_id: int | None) -> int | None:
    """Who gets the task: the account's owner, or the sales manager of the owner's team (the
    owner when their team has none). An account without an owner gets an unassigned task,
    which admins see on their list."""
    if owner_id is None:
        return None
    if assignee == Assignee.SALES_MANAGER and manager_id is not None:
        return manager_id
    return owner_id


def due_on(*, as_of: dt.date, days: int) -> dt.date:
    """Due `days` after the run's as-of date."""
    return as_of + dt.timedelta(days=days)


@dataclass(frozen=True)
class Rule:
    """A playbook as the nightly step applies it."""

    playbook_id: int
    trigger: Trigger
    due_in_days: int
    priority: str
    assignee: str


@dataclass(frozen=True)
class NewTask:
    playbook_id: int
    account_id: int
    assign_to: str  # an Assignee code, resolved to a person by `with_assignees`
    priority: str
    due_on: dt.date
    evidence: dict[str, Any]
    assignee_id: int | None = None


States = Mapping[int, tuple[AccountState, AccountState]]  # account -> (latest run, previous)
People = Mapping[int, tuple[int | None, int | None]]  # account -> (owner, owner's manager)


def tasks_to_create(rules: list[Rule], states: States, *, as_of: dt.date) -> list[NewTask]:
    """A task for every playbook whose trigger fires on an account (before the database drops
    those whose account and playbook already have an open task)."""
    return [
        NewTask(
            rule.playbook_id,
            account_id,
            rule.assignee,
            rule.priority,
            due_on(as_of=as_of, days=rule.due_in_days),
            evidence,
        )
        for account_id, (now, before) in states.items()
        for rule in rules
        if (evidence := fires(rule.trigger, now, before)) is not None
    ]


def with_assignees(tasks: list[NewTask], people: People) -> list[NewTask]:
    """Each task with the person it goes to (`assignee_for`)."""
    return [
        replace(task, assignee_id=assignee_for(task.assign_to, owner_id=o, manager_id=m))
        for task in tasks
        for o, m in [people.get(task.account_id, (None, None))]
    ]


def tasks_no_longer_holding(
    open_tasks: list[tuple[int, int, int]], rules: list[Rule], states: States, *, as_of: dt.date
) -> tuple[list[int], list[int]]:
    """Of the open tasks (id, playbook, account) of `rules`' playbooks: those whose trigger no
    longer holds in the latest run (cleared by the data), and those where it holds."""
    by_id = {rule.playbook_id: rule for rule in rules}
    nothing = AccountState(as_of=as_of)
    cleared: list[int] = []
    holding: list[int] = []
    for task_id, playbook_id, account_id in open_tasks:
        now = states[account_id][0] if account_id in states else nothing
        (holding if holds(by_id[playbook_id].trigger, now) else cleared).append(task_id)
    return cleared, holding
