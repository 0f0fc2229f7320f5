"""What two nightly runs saw of each account, for the triggers: set-based reads of the run's
snapshots and segment assignments, the assessments and (once the growth plans provide them)
the goals behind. A few queries per night whatever the number of customers, and only the
accounts where a trigger could hold or have held: the rest would fire nothing.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.module_loading import import_string

from assessments.models import Assessment, AssessmentStatus
from assessments.rules import due_date
from assessments.selectors import cadence_current
from playbooks.enums import TriggerKind
from playbooks.triggers import AccountState, Gap, States
from segmentation.enums import Programme, RiskLevel
from segmentation.models import NightlyRun, RiskSnapshot, SegmentAssignment

RISK_KINDS = {TriggerKind.FLAG_RAISED, TriggerKind.LEVEL_HIGH}
PLACE_KINDS = {
    TriggerKind.SEGMENT_ENTERED,
    TriggerKind.SEGMENT_LEFT,
    TriggerKind.PROGRAMME_ENTERED,
    TriggerKind.PROGRAMME_LEFT,
    TriggerKind.ASSESSMENT_OVERDUE,  # the cadence goes by segment, and only in the programme
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


def _at_risk(run_id: int) -> "QuerySet[RiskSnapshot]":
    """The run's snapshots scored high or flagged: elsewhere no risk trigger holds."""
    return RiskSnapshot.objects.filter(run_id=run_id).filter(Q(level=RiskLevel.HIGH) | ~Q(flags=[]))


def _risk(run_id: int, *, among_run_id: int | None = None) -> Fields:
    """The accounts the run scored high or flagged; with `among_run_id`, only those that run
    scored high or flagged too (a risk trigger fires only where it holds now)."""
    rows = _at_risk(run_id)
    if among_run_id is not None:
        rows = rows.filter(account_id__in=_at_risk(among_run_id).values("account_id"))
    return {
        account: {
            "level": level,
            "score": score,
            "flags": {f["code"]: f["evidence"] for f in flags},
        }
        for account, level, score, flags in rows.values_list(
            "account_id", "level", "score", "flags"
        )
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


def _run_fields(run: NightlyRun, kinds: set[str], *, places: bool) -> Fields:
    merged: Fields = {}
    parts = [
        _risk(run.pk) if kinds & RISK_KINDS else {},
        _places(run.pk) if places else {},
        _assessments_due(run) if TriggerKind.ASSESSMENT_OVERDUE in kinds else {},
        _gaps(run.as_of) if TriggerKind.PERCEPTION_GAP in kinds else {},
        _goals(run.as_of) if TriggerKind.GOAL_BEHIND in kinds else {},
    ]
    for part in parts:
        for account, fields in part.items():
            merged.setdefault(account, {}).update(fields)
    return merged


def _previous_fields(
    run: NightlyRun, previous: NightlyRun, now: Fields, kinds: set[str], *, places: bool
) -> Fields:
    merged: Fields = {}
    parts = [
        _risk(previous.pk, among_run_id=run.pk) if kinds & RISK_KINDS else {},
        _places(previous.pk) if places else {},
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


def account_states(
    run: NightlyRun, previous: NightlyRun | None, *, kinds: set[str], programme_only: bool
) -> States:
    """Every account where one of `kinds` could hold in `run` or have held in `previous`: its
    state in each (an account missing from one is seen there with nothing)."""
    places = bool(kinds & PLACE_KINDS) or programme_only
    now = _run_fields(run, kinds, places=places)
    before = _previous_fields(run, previous, now, kinds, places=places) if previous else {}
    before_as_of = previous.as_of if previous else run.as_of
    return {
        account: (
            AccountState(as_of=run.as_of, **now.get(account, {})),
            AccountState(as_of=before_as_of, **before.get(account, {})),
        )
        for account in now.keys() | before.keys()
    }
