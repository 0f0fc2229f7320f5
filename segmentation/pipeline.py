"""The nightly run, in one place: claim a run, learn the churn model from the look-back, score
every chunk of customers with it, run the final steps, then publish the run or fail it.

    nightly_run_start -> nightly_run_claim -> nightly_fit_process (the look-back and the fit,
    stored as the run's RiskModelVersion) -> (one nightly_chunk_process per id range, spread
    over the workers by tasks.py; each reads the model version from the database)
    -> nightly_run_complete | nightly_run_fail

Readers only ever look at complete runs, so a run's results may be written chunk by chunk (by
several workers) and still appear all at once: `nightly_run_complete` runs the final steps and
flips the status in one transaction. A failed run's rows are removed and the previous complete
run stays current. `tasks.py` and `manage.py run_nightly` only call the functions here.
"""

import datetime as dt
import logging
import time
import traceback as tb
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError as BrokerError
from kombu.utils.url import maybe_sanitize_url

from accounts.models import Account
from segmentation.churn.features import customer_features_with
from segmentation.churn.fitting import fit_lookback
from segmentation.churn.lookback import lookback_read
from segmentation.churn.rules import RiskConfig, config_from_json, config_to_json, evaluate
from segmentation.churn.scoring import score_chunk
from segmentation.churn.selectors import risk_config_get, scoring_model_for
from segmentation.churn.services import (
    risk_model_version_create,
    risk_snapshots_delete,
    risk_snapshots_replace,
    snapshot_row,
)
from segmentation.enums import RiskLevel, RunStatus
from segmentation.models import NightlyRun, RiskModelVersion, RiskSnapshot, SegmentAssignment
from segmentation.retention import Retention, runs_to_prune
from segmentation.segments.measures import stage_aggregates, stage_row
from segmentation.segments.services import (
    segmentation_step,
    stage_rows_clear,
    stage_rows_replace,
    without_cycle_collection,
)
from segmentation.signals import run_published

logger = logging.getLogger(__name__)

# Any number that no other part of the project uses for pg_advisory locks.
NIGHTLY_LOCK_KEY = 4_242_003
# A running run whose heartbeat is older than this lost its process or worker (killed,
# machine restarted). The run beats before and after every chunk step and before its final
# step, so this must exceed the longest step: a 25,000-customer chunk takes about 10 s, the
# final step about 8 s at 100,000 customers (docs/performance.md); 3 minutes leaves room for a
# final step of about two million customers while catching a dead run at the next start.
STALE_AFTER = dt.timedelta(minutes=3)
CHUNK_SIZE = 25_000  # fewer, larger chunks: less per-query overhead; still flat memory


class RunAlreadyRunning(Exception):
    """A second start while a run is in progress."""


class IncompleteRun(Exception):
    """A chunk's results went missing (a database crash after its commit)."""


class BrokerUnavailable(Exception):
    """The task broker refused the run's chunks: nothing was computed."""


class ChunkFailed(Exception):
    """A chunk step failed; the message names the customer it failed on, where one did."""


def nightly_run_beat(*, run_id: int) -> None:
    """A sign of life from the run or one of its chunks (autocommit: seen at once)."""
    NightlyRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def is_stale(run: NightlyRun, *, now: dt.datetime) -> bool:
    """A running run that has shown no sign of life for STALE_AFTER."""
    last = run.heartbeat_at or run.started_at
    return run.status == RunStatus.RUNNING and now - last >= STALE_AFTER


def _try_advisory_lock() -> bool:
    """Serialises claims on PostgreSQL; released when the claiming transaction ends."""
    if connection.vendor != "postgresql":
        return True  # SQLite (make run) serialises writers itself
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [NIGHTLY_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _abandon_if_stale(run: NightlyRun, *, now: dt.datetime) -> bool:
    if not is_stale(run, now=now):
        return False
    seen = (run.heartbeat_at or run.started_at).isoformat(timespec="seconds")
    nightly_run_fail(
        run_id=run.pk,
        error=f"Abandoned: no sign of life since {seen} (its process or worker is gone).",
    )
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
                return NightlyRun.objects.create(
                    as_of=as_of, settings_used=config_to_json(config), heartbeat_at=timezone.now()
                )
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


# The look-back's SQL runs on this many connections of the worker's own while it applies the
# rules to the range before (docs/operations.md counts them among the connections).
LOOKBACK_READERS = 2


def nightly_fit_process(*, run_id: int) -> RiskModelVersion | None:
    """The run's first step, before any chunk: read the look-back (every customer as of the
    run's date minus the horizon, labelled by the horizon's orders), fit the repeat-buying and
    the learned model, compare, choose, and store the result as the run's model version, which
    the chunks then score with. Records `lookback_s`, `fit_s` and `before_chunks_s` (the wall
    time from the start) in the run's timings. A no-op if the run is no longer running."""
    run = NightlyRun.objects.get(pk=run_id)
    if run.status != RunStatus.RUNNING:
        return None
    config = config_from_json(run.settings_used)
    lookback_as_of = run.as_of - dt.timedelta(days=config.horizon_days)
    started = time.monotonic()
    with without_cycle_collection():
        lookback, _ = lookback_read(
            as_of=lookback_as_of,
            horizon_days=config.horizon_days,
            config=config,
            ranges=account_id_ranges(),
            beat=lambda: nightly_run_beat(run_id=run_id),
            readers=LOOKBACK_READERS,
        )
    read = time.monotonic()
    result = fit_lookback(
        lookback,
        weights=config.weights,
        minimum_lost=config.minimum_lost,
        pin=config.scorer_pin,
    )
    fitted = time.monotonic()
    version = risk_model_version_create(
        run=run, config=config, lookback_as_of=lookback_as_of, result=result, seconds=fitted - read
    )
    timings = {"lookback_s": read - started, "fit_s": fitted - read}
    timings["before_chunks_s"] = (timezone.now() - run.started_at).total_seconds()
    NightlyRun.objects.filter(pk=run_id).update(
        timings={key: round(value, 3) for key, value in timings.items()},
        heartbeat_at=timezone.now(),
    )
    return version


def risk_chunk_step(run: NightlyRun, lo: int, hi: int) -> dict[str, int]:
    """Score customers lo..hi with the run's model version and write their snapshots,
    replacing any from an earlier try.

    The same pass over the chunk's orders gives the segment measures the final step needs
    (`segments.measures.stage_aggregates`); they are staged beside the snapshots, so the orders
    are read once a night."""
    config = config_from_json(run.settings_used)
    model = scoring_model_for(run=run, config=config)
    with without_cycle_collection():
        chunk = list(
            customer_features_with(stage_aggregates(), as_of=run.as_of, lo=lo, hi=hi, c=config)
        )
        features = [f for f, _ in chunk]
        results = [evaluate(f, as_of=run.as_of, c=config) for f in features]
        scored = score_chunk(features, results, as_of=run.as_of, model=model, c=config)
        counts = {"customers": len(chunk), "flagged": 0, "high_risk": 0}
        snapshots, stage = [], []
        for (f, extras), result, s in zip(chunk, results, scored, strict=True):
            snapshots.append(snapshot_row(run.pk, f, result, s))
            stage.append(stage_row(run.pk, f, extras, result, s))
            counts["flagged"] += bool(result.flags)
            counts["high_risk"] += s.level == RiskLevel.HIGH
    with transaction.atomic():
        _skip_commit_flush()
        if not _still_running(run):
            return {}  # failed (or marked failed) meanwhile: its rows must not come back
        risk_snapshots_replace(run=run, lo=lo, hi=hi, rows=snapshots)
        stage_rows_replace(run=run, lo=lo, hi=hi, rows=stage)
    return counts


def _still_running(run: NightlyRun) -> bool:
    """Inside a chunk's write transaction: is the run still running? On PostgreSQL the row is
    held FOR SHARE until commit (chunks do not block each other), so `nightly_run_fail` waits
    for this chunk and then removes its rows, or has already failed the run and it writes none."""
    if connection.vendor != "postgresql":
        return NightlyRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).exists()
    with connection.cursor() as cursor:
        sql = "SELECT status FROM segmentation_nightlyrun WHERE id = %s FOR SHARE"
        cursor.execute(sql, [run.pk])
        row = cursor.fetchone()
    return row is not None and row[0] == RunStatus.RUNNING


CHUNK_STEPS: list[ChunkStep] = [risk_chunk_step]
FINAL_STEPS: list[FinalStep] = [segmentation_step]


def final_steps() -> list[FinalStep]:
    """Segmentation's own final steps, then those of the apps above it, in the order of
    settings.NIGHTLY_FINAL_STEPS (dotted paths): an app joins the run's publishing transaction
    without this module importing it (docs/development.md#adding-a-nightly-step)."""
    return [*FINAL_STEPS, *(import_string(path) for path in settings.NIGHTLY_FINAL_STEPS)]


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
        nightly_run_beat(run_id=run_id)
        started = time.monotonic()
        try:
            counts = step(run, lo, hi)
        except (OperationalError, InterfaceError):
            raise  # the database went away: the task retries the chunk as it is
        except Exception as exc:
            raise ChunkFailed(_failure_message(step, run, lo, hi, exc)) from exc
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        totals[f"{_step_name(step)}_s"] = time.monotonic() - started
    nightly_run_beat(run_id=run_id)
    return totals


class _RollBack(Exception):
    """Undoes a trial run of a step (see `_fails`)."""


def _fails(step: ChunkStep, run: NightlyRun, lo: int, hi: int) -> bool:
    """Whether `step` fails on customers lo..hi; whatever it wrote is rolled back."""
    try:
        with transaction.atomic():
            step(run, lo, hi)
            raise _RollBack
    except _RollBack:
        return False
    except Exception:
        return True


def failing_customer(step: ChunkStep, run: NightlyRun, lo: int, hi: int) -> Account | None:
    """The one customer of lo..hi the step fails on, found by halving the range (a few trial
    runs, only after a failure); None when no single customer fails on its own."""
    in_range = Account.objects.filter(pk__gte=lo, pk__lte=hi).order_by("pk")
    ids = list(in_range.values_list("pk", flat=True))
    if not ids or not _fails(step, run, ids[0], ids[-1]):
        return None
    while len(ids) > 1:
        half = ids[: len(ids) // 2]
        ids = half if _fails(step, run, half[0], half[-1]) else ids[len(half) :]
    return Account.objects.get(pk=ids[0])


def _failure_message(step: ChunkStep, run: NightlyRun, lo: int, hi: int, exc: Exception) -> str:
    name = _step_name(step)
    error = f"{type(exc).__name__}: {exc}".strip()
    culprit = failing_customer(step, run, lo, hi)
    if culprit is None:
        return f"The {name} step failed on customers {lo} to {hi}: {error}"
    return f"The {name} step failed on customer {culprit.external_id} (id {culprit.pk}): {error}"


def _timings(run: NightlyRun, chunk_counts: list[dict[str, float]]) -> dict[str, float]:
    """The first step's timings, the wall time of the chunks (from the end of the first step
    until the last chunk finished), and the seconds each step spent in all chunks."""
    timings = {key: float(value) for key, value in run.timings.items()}
    since_start = (timezone.now() - run.started_at).total_seconds()
    timings["chunks_wall_s"] = since_start - timings.get("before_chunks_s", 0.0)
    for counts in chunk_counts:
        for key, value in counts.items():
            if key.endswith("_s"):
                timings[key] = timings.get(key, 0.0) + value
    return {key: round(value, 3) for key, value in timings.items()}


def nightly_run_complete(*, run_id: int, chunk_counts: list[dict[str, float]]) -> NightlyRun:
    """Run the final steps and publish the run, replacing an earlier run of the same date."""
    nightly_run_beat(run_id=run_id)
    with transaction.atomic():
        run = NightlyRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.RUNNING:
            return run
        scored = int(sum(c.get("customers", 0) for c in chunk_counts))
        written = RiskSnapshot.objects.filter(run=run).count()
        if written != scored:
            raise IncompleteRun(f"The chunks scored {scored} customers but {written} are stored.")
        timings = _timings(run, chunk_counts)
        for step in final_steps():
            started = time.monotonic()
            step(run)
            timings[f"{_step_name(step)}_s"] = round(time.monotonic() - started, 3)
        run.timings = timings
        replaced = NightlyRun.objects.filter(as_of=run.as_of, status=RunStatus.COMPLETE)
        for earlier in replaced:
            risk_snapshots_delete(run_id=earlier.pk)
        replaced.delete()
        for key in ("customers", "flagged", "high_risk"):
            setattr(run, key, int(sum(c.get(key, 0) for c in chunk_counts)))
        run.status = RunStatus.COMPLETE
        run.finished_at = timezone.now()
        run.save()
        transaction.on_commit(lambda: run_published.send(NightlyRun, run=run), robust=True)
    return run


def nightly_run_fail(*, run_id: int, error: str) -> bool:
    """Record the error and drop the run's partial results; the previous run stays current.

    Only a running run fails: the status changes first, in one conditional UPDATE (which waits
    for a run completing right now and then finds it complete), and only then do its rows go.
    Returns whether the run was failed."""
    with transaction.atomic():
        failed = NightlyRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=error[:10_000]
        )
        if failed:
            risk_snapshots_delete(run_id=run_id)
            stage_rows_clear(run_id=run_id)
    return bool(failed)


def nightly_run_start(*, as_of: dt.date | None = None, chunk_size: int = CHUNK_SIZE) -> NightlyRun:
    """Claim a run, fit its model, fan out its chunks and complete it; raises RunAlreadyRunning.

    With a broker the fit is one task and the chunks then spread over the workers (a Celery
    chord, tasks.py); this returns while they work. Without one (`make run`, tests) they run
    in process and the run comes back complete or failed."""
    from segmentation.tasks import nightly_start  # tasks call this module: import at use

    run = nightly_run_claim(as_of=as_of or default_as_of(), config=risk_config_get())
    try:
        ranges = account_id_ranges(size=chunk_size)
        NightlyRun.objects.filter(pk=run.pk).update(chunks=len(ranges))
        try:
            nightly_start(run_id=run.pk, ranges=ranges)
        except BrokerError as exc:
            raise BrokerUnavailable(_broker_message(exc)) from exc
    except Exception as exc:
        # Eager mode (and a broker refusing the chord) raise here rather than in the errback.
        nightly_run_fail(run_id=run.pk, error="".join(tb.format_exception(exc)))
        raise
    run.refresh_from_db()
    return run


def _broker_message(exc: Exception) -> str:
    url = maybe_sanitize_url(current_app.conf.broker_url)
    return (
        f"The task broker (CELERY_BROKER_URL={url}) cannot be reached ({exc}): the run was not "
        "started and the previous results stay current. Start the broker, or leave "
        "CELERY_BROKER_URL empty to run tasks in process."
    )


def nightly_run_scheduled(*, as_of: dt.date | None = None) -> NightlyRun | None:
    """What the schedule starts: the run for `as_of` (yesterday), unless one already completed.
    So a night that beat fires late, twice, or on catching up after downtime is computed once;
    `run_nightly` recomputes on request."""
    day = as_of or default_as_of()
    if NightlyRun.objects.complete().filter(as_of=day).exists():
        return None
    return nightly_run_start(as_of=day)


def nightly_prune(*, batch: int = 20_000) -> list[int]:
    """Remove the per-customer rows of the runs the retention policy lets go, in batches of
    `batch` rows (each its own transaction, so the tables are never locked for long), and the
    rows failed runs left behind. Runs after a run is published; returns the runs pruned."""
    latest = NightlyRun.objects.latest_complete()
    if latest is None:
        return []
    runs = NightlyRun.objects.complete().filter(pruned_at__isnull=True).values_list("pk", "as_of")
    policy = Retention(keep_days=settings.NIGHTLY_KEEP_DAYS)
    pruned = runs_to_prune(runs, latest=latest.as_of, policy=policy)
    for run_id in pruned:
        _delete_in_batches(run_id=run_id, batch=batch)
        NightlyRun.objects.filter(pk=run_id).update(pruned_at=timezone.now())
    for run_id in NightlyRun.objects.filter(status=RunStatus.FAILED).values_list("pk", flat=True):
        _delete_in_batches(run_id=run_id, batch=batch)  # a chunk that wrote after the failure
    return pruned


def _delete_in_batches(*, run_id: int, batch: int) -> None:
    for model in (RiskSnapshot, SegmentAssignment):
        while ids := list(model.objects.filter(run_id=run_id).values_list("pk", flat=True)[:batch]):
            with transaction.atomic():
                model.objects.filter(pk__in=ids).delete()


def default_as_of() -> dt.date:
    """Yesterday in the configured time zone: the last complete day when the 02:00 run starts."""
    return timezone.localdate() - dt.timedelta(days=1)
