"""The nightly run as Celery tasks: thin wrappers over `segmentation.pipeline`.

First the fit task (the look-back and the model fit, stored as the run's model version), which
then sends one chunk task per customer-id range, joined by a chord whose callback completes the
run. A chunk that fails for good (after its retries) fails the run through the chord's errback;
the fit task has the same errback. The chunks read the model from the database.
"""

import datetime as dt
import logging
from typing import Any

from celery import chord, shared_task
from django.db import InterfaceError, OperationalError

from segmentation import pipeline

logger = logging.getLogger(__name__)

# Kept below the broker's visibility timeout (3600 s, settings) so that Redis never hands a
# still-running task to a second worker.
CHUNK_TIME_LIMIT = 900
LIMITS = {"time_limit": CHUNK_TIME_LIMIT, "soft_time_limit": CHUNK_TIME_LIMIT - 60}
DB_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


def nightly_start(*, run_id: int, ranges: list[tuple[int, int]]) -> None:
    """Send the fit task, which sends the chunks once the model is stored."""
    fail = nightly_fail_task.s(run_id=run_id)
    nightly_fit_task.si(run_id, [list(r) for r in ranges]).on_error(fail).apply_async()


@shared_task(acks_late=True, **LIMITS, **DB_RETRY)
def nightly_fit_task(run_id: int, ranges: list[list[int]]) -> None:
    if pipeline.nightly_fit_process(run_id=run_id) is not None:
        nightly_chord(run_id=run_id, ranges=[(lo, hi) for lo, hi in ranges])


def nightly_chord(*, run_id: int, ranges: list[tuple[int, int]]) -> None:
    """Send one chunk task per id range, then the final task (in process without a broker)."""
    final = nightly_finish_task.s(run_id).on_error(nightly_fail_task.s(run_id=run_id))
    chord(nightly_chunk_task.si(run_id, lo, hi) for lo, hi in ranges)(final)


@shared_task(acks_late=True, reject_on_worker_lost=True, **LIMITS, **DB_RETRY)
def nightly_chunk_task(run_id: int, lo: int, hi: int) -> dict[str, float]:
    return pipeline.nightly_chunk_process(run_id=run_id, lo=lo, hi=hi)


@shared_task(acks_late=True, **LIMITS, **DB_RETRY)
def nightly_finish_task(chunk_counts: list[dict[str, float]], run_id: int) -> int:
    run = pipeline.nightly_run_complete(run_id=run_id, chunk_counts=chunk_counts)
    try:
        pipeline.nightly_prune()
    except Exception:  # the run is published; pruning tries again after the next one
        logger.exception("Pruning old nightly runs failed after run %s.", run_id)
    return run.pk


@shared_task
def nightly_fail_task(request: Any, exc: BaseException, traceback: Any, run_id: int) -> None:
    """Chord error callback: a chunk failed for good (after its retries)."""
    logger.error("Nightly run %s failed in task %s: %r", run_id, request.id, exc)
    pipeline.nightly_run_fail(run_id=run_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(acks_late=True, **LIMITS)
def nightly_run_task(as_of: str | None = None) -> str:
    """What beat runs at 02:00: yesterday's run, unless it is already complete."""
    day = dt.date.fromisoformat(as_of) if as_of else None
    try:
        run = pipeline.nightly_run_scheduled(as_of=day)
    except pipeline.RunAlreadyRunning as exc:
        logger.warning("Nightly run not started: %s", exc)
        return str(exc)
    if run is None:
        return f"as of {day or pipeline.default_as_of()}: already complete"
    return f"run {run.pk} as of {run.as_of}: {run.status}"
