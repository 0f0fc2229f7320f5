"""Writes of the churn engine: claim a run, score a chunk of customers, complete or fail a run.

Readers only ever look at complete runs, so a run's snapshots may be written chunk by chunk (by
several workers) and still appear all at once: `nightly_run_complete` flips the status in one
transaction. A failed run's snapshots are removed and the previous complete run stays current.
"""

import dataclasses
import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.bulk import copy_rows
from segmentation.churn.features import customer_features_with
from segmentation.churn.rules import Features, RiskConfig, RiskResult, evaluate
from segmentation.models import (
    NightlyRun,
    RiskSettings,
    RiskSnapshot,
    RunStatus,
    SegmentMeasureStage,
)
from segmentation.segments.measures import STAGE_COLUMNS, stage_aggregates, stage_row
from segmentation.segments.services import segmentation_step, stage_rows_clear

logger = logging.getLogger(__name__)

# Any number that no other part of the project uses for pg_advisory locks.
NIGHTLY_LOCK_KEY = 4_242_003
# A run still "running" after this long lost its worker (killed, machine restarted).
STALE_AFTER = dt.timedelta(hours=3)
CHUNK_SIZE = 25_000  # fewer, larger chunks: less per-query overhead; still flat memory

WEIGHT_FIELDS = {
    "overdue": "weight_overdue",
    "infrequent": "weight_infrequent",
    "volume_drop": "weight_volume_drop",
    "order_size": "weight_order_size",
    "gap_growth": "weight_gap_growth",
    "price_comparison": "weight_price_comparison",
    "competitor": "weight_competitor",
    "dissatisfaction": "weight_dissatisfaction",
    "org_change": "weight_org_change",
    "assessment": "weight_assessment",
}


class RunAlreadyRunning(Exception):
    """A second start while a run is in progress."""


class IncompleteRun(Exception):
    """A chunk's results went missing (a database crash after its commit)."""


def risk_settings_get() -> RiskSettings:
    settings, _ = RiskSettings.objects.get_or_create(pk=1)
    return settings


def risk_config_from(settings: RiskSettings) -> RiskConfig:
    """The pure rules' configuration from the admin's settings row."""
    plain = {
        f.name: getattr(settings, f.name)
        for f in dataclasses.fields(RiskConfig)
        if f.name != "weights"
    }
    floats = {k: float(v) if isinstance(v, Decimal) else v for k, v in plain.items()}
    weights = {name: float(getattr(settings, field)) for name, field in WEIGHT_FIELDS.items()}
    return RiskConfig(**floats, weights=weights)


def risk_config_get() -> RiskConfig:
    return risk_config_from(risk_settings_get())


def config_to_json(c: RiskConfig) -> dict[str, Any]:
    return dataclasses.asdict(c)


def config_from_json(data: dict[str, Any]) -> RiskConfig:
    return RiskConfig(**data)


def _try_advisory_lock() -> bool:
    """Serialises claims on PostgreSQL; released when the claiming transaction ends."""
    if connection.vendor != "postgresql":
        return True  # SQLite (make run) serialises writers itself
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [NIGHTLY_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _abandon_if_stale(run: NightlyRun, *, now: dt.datetime) -> bool:
    if now - run.started_at < STALE_AFTER:
        return False
    nightly_run_fail(run_id=run.pk, error=f"Abandoned: still running after {STALE_AFTER}.")
    return True


def nightly_run_claim(*, as_of: dt.date, config: RiskConfig) -> NightlyRun:
    """Start a run for `as_of`, or raise RunAlreadyRunning if one is in progress.

    The advisory lock makes check-and-insert atomic; the partial unique index on running runs
    keeps the claim for the whole run, across workers and processes.
    """
    with transaction.atomic():
        if not _try_advisory_lock():
            raise RunAlreadyRunning("Another nightly run is starting right now.")
        running = NightlyRun.objects.filter(status=RunStatus.RUNNING).first()
        if running and not _abandon_if_stale(running, now=timezone.now()):
            raise RunAlreadyRunning(
                f"Nightly run {running.pk} (as of {running.as_of}) has been running since "
                f"{running.started_at:%Y-%m-%d %H:%M:%S %Z}."
            )
        try:
            with transaction.atomic():
                return NightlyRun.objects.create(as_of=as_of, settings_used=config_to_json(config))
        except IntegrityError as exc:
            raise RunAlreadyRunning("Another nightly run is already running.") from exc


def account_id_ranges(*, size: int = CHUNK_SIZE) -> list[tuple[int, int]]:
    """Contiguous customer-id ranges of about `size` customers each, for parallel chunks."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn "
            "FROM accounts_account) t WHERE (rn - 1) %% %s = 0 ORDER BY id",
            [size],
        )
        starts = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT MAX(id) FROM accounts_account")
        last = cursor.fetchone()[0]
    if not starts:
        return [(0, 0)]
    ends = [s - 1 for s in starts[1:]] + [last]
    return list(zip(starts, ends, strict=True))


SNAPSHOT_COLUMNS = (
    "run_id",
    "account_id",
    "score",
    "level",
    "flags",
    "revenue_12m",
    "gross_profit_12m",
)


def _snapshot_row(run_id: int, f: Features, result: RiskResult) -> tuple:
    flags = json.dumps([flag.as_json() for flag in result.flags]) if result.flags else "[]"
    return (
        run_id,
        f.account_id,
        result.score,
        result.level,
        flags,
        f.revenue_12m,
        f.gross_profit_12m,
    )


# Steps run per chunk of customers, in order. Each returns counts to add to the run's totals.
ChunkStep = Callable[[NightlyRun, int, int], dict[str, int]]
# Steps run once all chunks are done, inside the transaction that completes the run
# (segmentation and programme capacity join here).
FinalStep = Callable[[NightlyRun], None]


def _skip_commit_flush() -> None:
    """A chunk's snapshots (and its stage rows, in the same transaction) need not survive a
    database crash: no reader sees them until the run is complete, and `nightly_run_complete`
    refuses a run whose snapshots fall short of what the chunks reported. So a chunk's commit
    does not wait for the WAL flush; completing does."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def risk_chunk_step(run: NightlyRun, lo: int, hi: int) -> dict[str, int]:
    """Score customers lo..hi and write their snapshots, replacing any from an earlier try.

    The same pass over the chunk's orders gives the segment measures the final step needs
    (`segments.measures.stage_aggregates`); they are staged beside the snapshots, so the orders
    are read once a night."""
    config = config_from_json(run.settings_used)
    chunk = list(
        customer_features_with(stage_aggregates(), as_of=run.as_of, lo=lo, hi=hi, c=config)
    )
    counts = {"customers": 0, "flagged": 0, "high_risk": 0}
    snapshots, stage = [], []
    for f, extras in chunk:
        result = evaluate(f, as_of=run.as_of, c=config)
        snapshots.append(_snapshot_row(run.pk, f, result))
        stage.append(stage_row(run.pk, f, extras, result))
        counts["customers"] += 1
        counts["flagged"] += bool(result.flags)
        counts["high_risk"] += result.level == "high"
    with transaction.atomic():
        _skip_commit_flush()
        in_chunk = {"run": run, "account_id__gte": lo, "account_id__lte": hi}
        RiskSnapshot.objects.filter(**in_chunk).delete()
        SegmentMeasureStage.objects.filter(**in_chunk).delete()
        copy_rows(RiskSnapshot._meta.db_table, SNAPSHOT_COLUMNS, snapshots)
        copy_rows(SegmentMeasureStage._meta.db_table, STAGE_COLUMNS, stage)
    return counts


CHUNK_STEPS: list[ChunkStep] = [risk_chunk_step]
FINAL_STEPS: list[FinalStep] = [segmentation_step]


def _step_name(step: Callable) -> str:
    return getattr(step, "__name__", "step").removesuffix("_step")


def nightly_chunk_process(*, run_id: int, lo: int, hi: int) -> dict[str, float]:
    """Every chunk step for customers lo..hi; a no-op if the run is no longer running.

    Returns the steps' counts and, as "<step>_s", the seconds each step took.
    """
    run = NightlyRun.objects.get(pk=run_id)
    if run.status != RunStatus.RUNNING:
        logger.warning("Run %s is %s; skipping chunk %s-%s.", run_id, run.status, lo, hi)
        return {}
    totals: dict[str, float] = {}
    for step in CHUNK_STEPS:
        started = time.monotonic()
        for key, value in step(run, lo, hi).items():
            totals[key] = totals.get(key, 0) + value
        totals[f"{_step_name(step)}_s"] = time.monotonic() - started
    return totals


def _timings(run: NightlyRun, chunk_counts: list[dict[str, float]]) -> dict[str, float]:
    """Wall time until the last chunk finished, and the seconds each step spent in all chunks."""
    timings = {"chunks_wall_s": (timezone.now() - run.started_at).total_seconds()}
    for counts in chunk_counts:
        for key, value in counts.items():
            if key.endswith("_s"):
                timings[key] = timings.get(key, 0.0) + value
    return {key: round(value, 3) for key, value in timings.items()}


def nightly_run_complete(*, run_id: int, chunk_counts: list[dict[str, float]]) -> NightlyRun:
    """Run the final steps and publish the run, replacing an earlier run of the same date."""
    with transaction.atomic():
        run = NightlyRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.RUNNING:
            return run
        scored = int(sum(c.get("customers", 0) for c in chunk_counts))
        written = RiskSnapshot.objects.filter(run=run).count()
        if written != scored:
            raise IncompleteRun(f"The chunks scored {scored} customers but {written} are stored.")
        timings = _timings(run, chunk_counts)
        for step in FINAL_STEPS:
            started = time.monotonic()
            step(run)
            timings[f"{_step_name(step)}_s"] = round(time.monotonic() - started, 3)
        run.timings = timings
        replaced = NightlyRun.objects.filter(as_of=run.as_of, status=RunStatus.COMPLETE)
        RiskSnapshot.objects.filter(run__in=replaced).delete()
        replaced.delete()
        for key in ("customers", "flagged", "high_risk"):
            setattr(run, key, int(sum(c.get(key, 0) for c in chunk_counts)))
        run.status = RunStatus.COMPLETE
        run.finished_at = timezone.now()
        run.save()
    return run


def nightly_run_fail(*, run_id: int, error: str) -> None:
    """Record the error and drop the run's partial results; the previous run stays current."""
    with transaction.atomic():
        RiskSnapshot.objects.filter(run_id=run_id).delete()
        stage_rows_clear(run_id=run_id)
        NightlyRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=error[:10_000]
        )


def default_as_of() -> dt.date:
    """Yesterday in the configured time zone: the last complete day when the 02:00 run starts."""
    return timezone.localdate() - dt.timedelta(days=1)
