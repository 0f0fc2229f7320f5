"""The nightly run as Celery tasks: one chunk task per customer-id range, then a final task.

`nightly_run_start` is the one code path behind both `manage.py run_nightly` and the beat task.
With a broker the chunks spread over the workers (a chord); without one (`make run`, tests)
Celery runs the same chord eagerly, in process.
"""

import datetime as dt
import logging
import traceback as tb
from typing import Any

from celery import chord, shared_task
from django.db import InterfaceError, OperationalError

from segmentation import services
from segmentation.models import NightlyRun

logger = logging.getLogger(__name__)

# Kept below the broker's visibility timeout (3600 s, settings) so that Redis never hands a
# still-running task to a second worker.
CHUNK_TIME_LIMIT = 900
DB_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


def nightly_run_start(
    *, as_of: dt.date | None = None, chunk_size: int = services.CHUNK_SIZE
) -> NightlyRun:
    """Claim a run, fan out its chunks and complete it; raises RunAlreadyRunning."""
    as_of = as_of or services.default_as_of()
    run = services.nightly_run_claim(as_of=as_of, config=services.risk_config_get())
    try:
        ranges = services.account_id_ranges(size=chunk_size)
        NightlyRun.objects.filter(pk=run.pk).update(chunks=len(ranges))
        final = nightly_finish_task.s(run.pk).on_error(nightly_fail_task.s(run_id=run.pk))
        chord(nightly_chunk_task.si(run.pk, lo, hi) for lo, hi in ranges)(final)
    except Exception as exc:
        # Eager mode (and a broker refusing the chord) raise here rather than in the errback.
        services.nightly_run_fail(run_id=run.pk, error="".join(tb.format_exception(exc)))
        raise
    run.refresh_from_db()
    return run


LIMITS = {"time_limit": CHUNK_TIME_LIMIT, "soft_time_limit": CHUNK_TIME_LIMIT - 60}


@shared_task(acks_late=True, reject_on_worker_lost=True, **LIMITS, **DB_RETRY)
def nightly_chunk_task(run_id: int, lo: int, hi: int) -> dict[str, float]:
    return services.nightly_chunk_process(run_id=run_id, lo=lo, hi=hi)


@shared_task(acks_late=True, **LIMITS, **DB_RETRY)
def nightly_finish_task(chunk_counts: list[dict[str, float]], run_id: int) -> int:
    return services.nightly_run_complete(run_id=run_id, chunk_counts=chunk_counts).pk


@shared_task
def nightly_fail_task(request: Any, exc: BaseException, traceback: Any, run_id: int) -> None:
    """Chord error callback: a chunk failed for good (after its retries)."""
    logger.error("Nightly run %s failed in task %s: %r", run_id, request.id, exc)
    services.nightly_run_fail(run_id=run_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(acks_late=True, **LIMITS)
def nightly_run_task(as_of: str | None = None) -> str:
    """What beat runs at 02:00: the same start as `manage.py run_nightly`."""
    try:
        run = nightly_run_start(as_of=dt.date.fromisoformat(as_of) if as_of else None)
    except services.RunAlreadyRunning as exc:
        logger.warning("Nightly run not started: %s", exc)
        return str(exc)
    return f"run {run.pk} as of {run.as_of}: {run.status}"
