"""The nightly chord through the real Redis broker and a real worker with two threads."""

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker

from kam_portal.celery import app
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskModelVersion, RiskSnapshot
from segmentation.pipeline import nightly_run_start
from tests.celery_support import tasks_sent_to_the_broker
from tests.factories import AccountFactory, OrderFactory

AS_OF = dt.date(2026, 10, 31)


@pytest.fixture
def worker(redis_available, transactional_db):
    # A transactional test: the worker's threads must see the committed customers.
    with tasks_sent_to_the_broker():
        app.control.purge()  # nothing left over from an interrupted run
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False) as w:
            yield w


def wait_for(run: NightlyRun, timeout: float = 30) -> NightlyRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status != RunStatus.RUNNING:
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run.pk} still running after {timeout} s")


@pytest.mark.redis
@pytest.mark.slow
def test_chunks_run_on_the_workers_and_the_run_completes_once(worker):
    accounts = [AccountFactory() for _ in range(7)]
    for account in accounts:
        OrderFactory(account=account, ordered_on=AS_OF - dt.timedelta(days=10))
    run = nightly_run_start(as_of=AS_OF, chunk_size=2)
    assert run.status == RunStatus.RUNNING  # handed to the workers, not run in process
    run = wait_for(run)
    assert run.status == RunStatus.COMPLETE, run.error
    assert (run.chunks, run.customers) == (4, 7)
    assert RiskSnapshot.objects.filter(run=run).count() == 7
    # The fit ran first, on a worker, and the chunks found its version in the database.
    assert RiskModelVersion.objects.filter(run=run).exists()
    assert {"lookback_s", "fit_s", "chunks_wall_s"} <= set(run.timings)
