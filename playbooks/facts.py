"""What two nightly runs saw of each account, for the triggers: set-based reads of the run's
snapshots and segment assignments, the assessments and (once the growth plans provide them)
the goals behind. A few queries per night whatever the number of customers, and only the
accounts where a trigger could hold or have held: the rest would fire nothing.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Func, JSONField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.module_loading import import_string

from assessments.models import Assessment, AssessmentStatus
from assessments.rules import due_date
from assessments.selectors import cadence_current
from playbooks.enums import TriggerKind
from playbooks.triggers import AccountState, Gap, States, Trigger
from segmentation.enums import Programme, RiskLevel
from segmentation.models import NightlyRun, RiskSnapshot, SegmentAssignment

RISK_KINDS = {TriggerKind.FLAG_RAISED, TriggerKind.LEVEL_HIGH}
# The triggers that read the segments, and those that read only the programme.
SEGMENT_KINDS = {TriggerKind.SEGMENT_ENTERED, TriggerKind.SEGMENT_LEFT}
PROGRAMME_KINDS = {
    TriggerKind.PROGRAMME_ENTERED,
    TriggerKind.PROGRAMME_LEFT,
    TriggerKind.ASSESSMENT_OVERDUE,  # only in the programme (the due date reads the segment)
}
# account -> goal id -> evidence, as of a date: what settings.PLAYBOOK_GOALS_BEHIND names.
GoalsBehind = Callable[..., Mapping[int, Mapping[int, Mapping[str, Any]]]]
Fields = dict[int, dict[str, Any]]  # account -> AccountState fields


def previous_complete_run(run: NightlyRun) -> NightlyRun | None:
    """The newest complete run of an earlier date (a rerun of `run`'s date is not "before")."""
    earlier = NightlyRun.objects.complete().filter(as_of__lt=run.as_of)
    return earlier.order_by("-as_of", "-finished_at").first()


def _day_end(day: dt.date) -> dt.datetime:
    """The first moment after `day` in the portal's time zone: data "as of" a day is before it."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


class FlagCodes(Func):
    """A snapshot's flag codes as a JSON array ("overdue", ...): the triggers need only the
    codes, and decoding every flagged customer's evidence cost most of the step. The evidence
    is read afterwards for the few accounts whose trigger fired (`flags_with_evidence`)."""

    output_field = JSONField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "jsonb_path_query_array(%(expressions)s, '$[*].code')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = (
            "(SELECT json_group_array(json_extract(value, '$.code')) "
            "FROM json_each(%(expressions)s))"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


@dataclass(frozen=True)
class Watch:
    """What the active playbooks' triggers read: the facts to load, and no more."""

    kinds: frozenset[str]
    flags: frozenset[str]  # the flags the "flag raised" triggers name
    programme: bool  # a trigger reads the programme (or sees programme accounts only)

    @classmethod
    def of(cls, triggers: Iterable[Trigger]) -> "Watch":
        triggers = list(triggers)
        kinds = frozenset(t.kind for t in triggers)
        flags = frozenset(t.flag for t in triggers if t.kind == TriggerKind.FLAG_RAISED)
        programme = bool(kinds & PROGRAMME_KINDS) or any(t.programme_only for t in triggers)
        return cls(kinds, flags, programme)


def _risk_may_hold(watch: Watch) -> Q:
    """Snapshots where a risk trigger may hold: high, or with a flag a playbook names. On
    SQLite (`make run`) any flagged one: it has no JSON containment, and little data."""
    may_hold = Q(level=RiskLevel.HIGH) if TriggerKind.LEVEL_HIGH in watch.kinds else Q(pk__in=[])
    if connection.vendor != "postgresql":
        return may_hold | ~Q(flags=[]) if watch.flags else may_hold
    for code in sorted(watch.flags):
        may_hold |= Q(flags__contains=[{"code": code}])
    return may_hold


def _at_risk(run_id: int, watch: Watch) -> "QuerySet[RiskSnapshot]":
    return RiskSnapshot.objects.filter(run_id=run_id).filter(_risk_may_hold(watch))


def _risk(run_id: int, watch: Watch, *, among_run_id: int | None = None) -> Fields:
    """The accounts where a risk trigger may hold in the run, with their level and flag codes
    (no evidence yet); with `among_run_id`, only those where one may hold in that run too (a
    risk trigger fires only where it holds now)."""
    rows = _at_risk(run_id, watch)
    if among_run_id is not None:
        rows = rows.filter(account_id__in=_at_risk(among_run_id, watch).values("account_id"))
    rows = rows.annotate(codes=FlagCodes("flags"))
    return {
        account: {"level": level, "score": score, "flags": dict.fromkeys(codes, {})}
        for account, level, score, codes in rows.values_list(
            "account_id", "level", "score", "codes"
        )
    }


def flags_with_evidence(run_id: int, account_ids: set[int]) -> dict[int, dict[str, Any]]:
    """The run's flags with their evidence, for the given accounts (one query)."""
    rows = RiskSnapshot.objects.filter(run_id=run_id, account_id__in=account_ids)
    return {
        account: {f["code"]: f["evidence"] for f in flags}
        for account, flags in rows.values_list("account_id", "flags")
    }


def _places(run_id: int) -> Fields:
    """The accounts the run put in a segment or the programme (the others are in neither)."""
    rows = SegmentAssignment.objects.filter(run_id=run_id).exclude(
        segment="", programme=Programme.NO
    )
    return {
        account: {"segment": segment, "programme": programme}
        for account, segment, programme in rows.values_list("account_id", "segment", "programme")
    }


def _admitted(run_id: int) -> Fields:
    """Only the programme's accounts (a few per account manager), where no trigger reads the
    segments themselves."""
    rows = SegmentAssignment.objects.filter(run_id=run_id, programme=Programme.ADMITTED)
    return {
        account: {"programme": Programme.ADMITTED}
        for account in rows.values_list("account_id", flat=True)
    }


def _placed(run_id: int, watch: Watch) -> Fields:
    if watch.kinds & SEGMENT_KINDS:
        return _places(run_id)
    return _admitted(run_id) if watch.programme else {}


def _assessments_due(run: NightlyRun) -> Fields:
    """Each programme account's next due date by the cadence rules, from the assessments
    submitted by the run's date (one query)."""
    cadence = cadence_current()
    last = Assessment.objects.filter(
        account=OuterRef("account_id"),
        status=AssessmentStatus.SUBMITTED,
        submitted_at__lt=_day_end(run.as_of),
    ).order_by("-submitted_at")
    rows = (
        SegmentAssignment.objects.filter(run=run, programme=Programme.ADMITTED)
        .annotate(last=Subquery(last.values("submitted_at")[:1]))
        .values_list("account_id", "segment", "last", "account__created_at")
    )
    fields = {}
    for account, segment, last_at, created_at in rows:
        last_on = timezone.localdate(last_at) if last_at else None
        due = due_date(
            last_submitted_on=last_on,
            joined_on=timezone.localdate(created_at),
            segment=segment or None,
            cadence=cadence,
        )
        fields[account] = {"assessment_due_on": due, "last_assessed_on": last_on}
    return fields


def _gaps(as_of: dt.date) -> Fields:
    """The accounts whose latest assessment submitted by `as_of` records a perception gap."""
    submitted = Assessment.objects.filter(
        status=AssessmentStatus.SUBMITTED, submitted_at__lt=_day_end(as_of)
    )
    latest = submitted.filter(account=OuterRef("account")).order_by("-submitted_at", "-id")
    rows = submitted.filter(pk=Subquery(latest.values("pk")[:1]), perception_gap__isnull=False)
    return {
        account: {"gap": Gap(pk, timezone.localdate(at), gap or {})}
        for pk, account, at, gap in rows.values_list(
            "pk", "account_id", "submitted_at", "perception_gap"
        )
    }


def goals_behind_source() -> GoalsBehind | None:
    """The growth plans' goals behind, once an app provides them: the function named by
    settings.PLAYBOOK_GOALS_BEHIND, called with `as_of=`; until then the trigger sees none."""
    path = getattr(settings, "PLAYBOOK_GOALS_BEHIND", "")
    return import_string(path) if path else None


def _goals(as_of: dt.date) -> Fields:
    source = goals_behind_source()
    if source is None:
        return {}
    behind = source(as_of=as_of)
    return {account: {"goals_behind": goals} for account, goals in behind.items() if goals}


def _run_fields(run: NightlyRun, watch: Watch) -> Fields:
    kinds = watch.kinds
    merged: Fields = {}
    parts = [
        _risk(run.pk, watch) if kinds & RISK_KINDS else {},
        _placed(run.pk, watch),
        _assessments_due(run) if TriggerKind.ASSESSMENT_OVERDUE in kinds else {},
        _gaps(run.as_of) if TriggerKind.PERCEPTION_GAP in kinds else {},
        _goals(run.as_of) if TriggerKind.GOAL_BEHIND in kinds else {},
    ]
    for part in parts:
        for account, fields in part.items():
            merged.setdefault(account, {}).update(fields)
    return merged


def _previous_fields(run: NightlyRun, previous: NightlyRun, now: Fields, watch: Watch) -> Fields:
    kinds = watch.kinds
    merged: Fields = {}
    parts = [
        _risk(previous.pk, watch, among_run_id=run.pk) if kinds & RISK_KINDS else {},
        _placed(previous.pk, watch),
        _gaps(previous.as_of) if TriggerKind.PERCEPTION_GAP in kinds else {},
        _goals(previous.as_of) if TriggerKind.GOAL_BEHIND in kinds else {},
    ]
    for part in parts:
        for account, fields in part.items():
            merged.setdefault(account, {}).update(fields)
    # The due date does not move without a new submission; it counted as overdue before only
    # if the account was in the programme then.
    for account, fields in now.items():
        before = merged.get(account, {})
        if "assessment_due_on" in fields and before.get("programme") == Programme.ADMITTED:
            before["assessment_due_on"] = fields["assessment_due_on"]
    return merged


def account_states(run: NightlyRun, previous: NightlyRun | None, *, watch: Watch) -> States:
    """Every account where a watched trigger could hold in `run` or have held in `previous`: its
    state in each (an account missing from one is seen there with nothing). The flags carry
    their codes only: `flags_with_evidence` adds the evidence where a trigger fired."""
    now = _run_fields(run, watch)
    before = _previous_fields(run, previous, now, watch) if previous else {}
    before_as_of = previous.as_of if previous else run.as_of
    return {
        account: (
            AccountState(as_of=run.as_of, **now.get(account, {})),
            AccountState(as_of=before_as_of, **before.get(account, {})),
        )
        for account in now.keys() | before.keys()
    }
