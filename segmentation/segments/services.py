"""Writes of segments: the nightly run's segmentation step and its stage rows, the decision
model's versions, pins and capacities. Reads are in selectors.py.

`segmentation_step` is a final step of `run_nightly`: it runs inside the transaction that
completes the run, after every chunk's churn snapshot is written, so a run publishes its risk,
segments and programme together or not at all.
"""

import datetime as dt
import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from itertools import groupby

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Account
from kam_portal.bulk import copy_rows
from segmentation.enums import RunStatus
from segmentation.models import (
    DecisionModelVersion,
    ManagerCapacity,
    NightlyRun,
    SegmentAssignment,
    SegmentMeasureStage,
    SegmentPin,
    SegmentSettings,
)
from segmentation.segments.capacity import NOT_A_CANDIDATE, Candidate, Place, programme_places
from segmentation.segments.decision import DecisionModel
from segmentation.segments.evaluate import Decision
from segmentation.segments.measures import STAGE_COLUMNS
from segmentation.segments.rules import Measures
from segmentation.segments.selectors import (
    Inputs,
    decision_model_from,
    decision_version_latest,
    pins_active,
    segment_config_from,
    segment_decisions,
)
from segmentation.segments.value import programme_value
from users.models import User

ASSIGNMENT_COLUMNS = (
    "run_id",
    "account_id",
    "owner_id",
    "segment",
    "precedence_rank",
    "reasons",
    "decision_version_id",
    "pin_id",
    "value_at_stake",
    "programme",
    "programme_rank",
    "capacity",
    "programme_value",
    "value_segment",
    "admission_rule",
)


def decision_version_current() -> DecisionModelVersion:
    """The newest saved version; version 1 (the defaults) until the admin saves one."""
    latest = decision_version_latest()
    if latest is not None:
        return latest
    default = DecisionModel()
    version, _ = DecisionModelVersion.objects.get_or_create(
        number=1, defaults={"weights": default.weights, "percentile": default.percentile}
    )
    return version


def decision_version_create(*, model: DecisionModel, by: User | None) -> DecisionModelVersion:
    """Save `model` as a new version (the caller has validated it with `model_errors`)."""
    with transaction.atomic():
        # Lock the newest row so two admins saving at once cannot take the same number.
        newest = DecisionModelVersion.objects.select_for_update().order_by("-number").first()
        return DecisionModelVersion.objects.create(
            number=(newest.number if newest else 0) + 1,
            weights=model.weights,
            mode=model.mode,
            percentile=Decimal(str(model.percentile)),
            thresholds={m: str(v) for m, v in model.thresholds.items()},
            created_by=by,
        )


def _reasons_json(decision: Decision) -> str:
    return json.dumps([r.as_json() for r in decision.reasons]) if decision.reasons else "[]"


def _value(m: Measures, d: Decision) -> tuple[Decimal, str] | None:
    """The programme value over every segment the customer matched (and its pin's)."""
    if not d.segment:
        return None
    return programme_value(m, {r.segment for r in d.reasons} | {d.segment})


def _owner_rows(
    owner_id: int | None,
    group: list[tuple[Measures, Decision]],
    inputs: Inputs,
    capacity: int,
    rule: str,
) -> list[tuple]:
    values = [_value(m, d) for m, d in group]
    candidates = [
        Candidate(m.account_id, d.precedence_rank, m.gross_profit_12m, value[0])
        for (m, d), value in zip(group, values, strict=True)
        if value is not None
    ]
    places = programme_places(candidates, owner_id=owner_id, capacity=capacity, rule=rule)
    return [
        _assignment_row(m, d, inputs, places.get(m.account_id, NOT_A_CANDIDATE), value, rule)
        for (m, d), value in zip(group, values, strict=True)
    ]


def _assignment_row(
    m: Measures,
    d: Decision,
    inputs: Inputs,
    place: Place,
    value: tuple[Decimal, str] | None,
    rule: str,
) -> tuple:
    pin = inputs.pins.get(m.account_id)
    amount, segment = value if value is not None else (None, "")
    return (
        inputs.run_id, m.account_id, m.owner_id, d.segment or "", d.precedence_rank,
        _reasons_json(d), inputs.version_id, pin.pk if pin else None, m.gross_profit_12m,
        place.status, place.rank, place.capacity, amount, segment, rule if value else "",
    )  # fmt: skip


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Segmenting (and scoring a chunk, and reading the look-back) allocates millions of
    short-lived objects (rows, measures, reasons) without reference cycles, which reference
    counting frees; the cyclic collector would rescan the live ones again and again: 40% of the
    segmentation step's Python time on 100,000 customers, 0.8 of a chunk's 1.8 CPU seconds."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_assignments(
    inputs: Inputs, *, capacities: dict[int, int], default: int, rule: str, batch: int = 5000
) -> None:
    """Segment, admit and write every customer. The measures arrive grouped by account
    manager, so one manager's customers at a time are in memory, and each row is written once,
    complete (COPY in batches)."""
    pending: list[tuple] = []
    decisions = segment_decisions(inputs)
    for owner_id, group in groupby(decisions, key=lambda md: md[0].owner_id):
        capacity = capacities.get(owner_id, default) if owner_id is not None else 0
        pending += _owner_rows(owner_id, list(group), inputs, capacity, rule)
        if len(pending) >= batch:
            copy_rows(SegmentAssignment._meta.db_table, ASSIGNMENT_COLUMNS, pending)
            pending = []
    copy_rows(SegmentAssignment._meta.db_table, ASSIGNMENT_COLUMNS, pending)


def stage_rows_replace(*, run: NightlyRun, lo: int, hi: int, rows: list[tuple]) -> None:
    """Store the stage rows of customers lo..hi, replacing those of an earlier try."""
    SegmentMeasureStage.objects.filter(run=run, account_id__gte=lo, account_id__lte=hi).delete()
    copy_rows(SegmentMeasureStage._meta.db_table, STAGE_COLUMNS, rows)


def stage_rows_clear(*, run_id: int, truncate: bool = False) -> None:
    """Remove the run's stage rows, and any a failed or removed run left behind.

    `truncate` (the final step, where no chunk still writes): when no other run is running,
    every row is scratch, and TRUNCATE (transactional on PostgreSQL) is instant where deleting
    100,000 rows takes a fifth of a second. It locks the table until commit, so the failure
    path, which may race a chunk still writing, deletes instead."""
    running = NightlyRun.objects.filter(status=RunStatus.RUNNING).exclude(pk=run_id)
    if truncate and connection.vendor == "postgresql" and not running.exists():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {SegmentMeasureStage._meta.db_table}")
        return
    SegmentMeasureStage.objects.exclude(run_id__in=running.values("pk")).delete()


def segmentation_step(run: NightlyRun) -> None:
    """Segment every active customer as of the run's date and admit the programme.

    Reads the order measures the run's chunks staged; a run without stage rows (a direct
    call, or no orders at all) aggregates the orders itself, with the same result."""
    row = SegmentSettings.load()
    version = decision_version_current()
    inputs = Inputs(
        as_of=run.as_of,
        run_id=run.pk,
        config=segment_config_from(row),
        model=decision_model_from(version),
        pins=pins_active(on=run.as_of),
        version_id=version.pk,
        staged=SegmentMeasureStage.objects.filter(run=run).exists(),
    )
    capacities = dict(ManagerCapacity.objects.values_list("user_id", "capacity"))
    SegmentAssignment.objects.filter(run=run).delete()
    with without_cycle_collection():
        _write_assignments(
            inputs, capacities=capacities, default=row.default_capacity, rule=row.admission_rule
        )
    stage_rows_clear(run_id=run.pk, truncate=True)


def capacity_set(*, user: User, capacity: int | None, by: User) -> None:
    """Override `user`'s capacity, or (None) fall back to the default. Audited by history."""
    if capacity is None:
        for row in ManagerCapacity.objects.filter(user=user):
            row._history_user = by
            row.delete()
        return
    row = ManagerCapacity.objects.filter(user=user).first() or ManagerCapacity(user=user)
    row.capacity = capacity
    row._history_user = by
    row.save()


def segment_pin_create(
    *, account: Account, segment: str, reason: str, expires_on: dt.date, by: User
) -> SegmentPin:
    """Pin `account` to `segment` until `expires_on`, ending any pin still in force."""
    with transaction.atomic():
        segment_pin_end(account=account, by=by)
        pin = SegmentPin(
            account=account, segment=segment, reason=reason, expires_on=expires_on, created_by=by
        )
        pin._history_user = by
        pin.save()
        return pin


def segment_pin_end(*, account: Account, by: User) -> int:
    """Remove the pins in force on `account` now; history records who did."""
    ended = 0
    for pin in SegmentPin.objects.in_force(on=timezone.localdate()).filter(account=account):
        pin.ended_at = timezone.now()
        pin._history_user = by
        pin.save(update_fields=["ended_at"])
        ended += 1
    return ended
