"""A Celery worker killed (SIGKILL) in the middle of a nightly chunk: the chunk leaves nothing
behind, and the next start, once the run's heartbeat is stale, fails the dead run and completes
a new one. The worker is a real process on the real Redis broker."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from kam_portal.celery import app
from segmentation import pipeline
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot, SegmentMeasureStage
from tests.celery_support import tasks_sent_to_the_broker
from tests.factories import AccountFactory, OrderFactory

AS_OF = dt.date(2026, 10, 31)
pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def dsn() -> str:
    db = connection.settings_dict
    return f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname={db['NAME']}"


@pytest.fixture
def worker_process(redis_available) -> Iterator[subprocess.Popen]:
    """`celery worker` in its own process, on the test database and the test broker."""
    db = connection.settings_dict
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "kam_portal.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TEST_CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    command = [sys.executable, "-m", "celery", "-A", "kam_portal", "worker", "--pool=solo"]
    command += ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    app.control.purge()
    process = subprocess.Popen(
        command, cwd=Path(settings.BASE_DIR), env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        _wait_for_line(process, "ready.")
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        app.control.purge()  # the killed chunk's message, still unacknowledged


def _wait_for_line(process: subprocess.Popen, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if text in line:
            return
        if not line and process.poll() is not None:
            raise AssertionError(f"the worker exited with {process.returncode}")
    raise AssertionError(f"the worker did not print {text!r} within {timeout} s")


def _wait_until(query: str, params: list | None = None, *, timeout: float = 30) -> object:
    """Poll `query` until its one value is truthy; return that value."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(dsn(), autocommit=True) as watcher:
        while time.monotonic() < deadline:
            if value := watcher.execute(query, params).fetchone()[0]:
                return value
            time.sleep(0.1)
    raise AssertionError(f"timed out waiting for: {query}")


BLOCKED_PID = (
    "SELECT max(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
)
GONE = "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)"


def test_a_chunk_killed_with_its_worker_leaves_nothing_and_the_next_run_completes(
    worker_process,
):
    customers = [AccountFactory() for _ in range(6)]
    for account in customers:
        OrderFactory(account=account, ordered_on=AS_OF - dt.timedelta(days=5))
    with psycopg.connect(dsn()) as locker:
        # The chunk's write waits behind this lock: the worker is killed in mid-chunk.
        locker.execute("LOCK TABLE segmentation_risksnapshot IN ACCESS EXCLUSIVE MODE")
        with tasks_sent_to_the_broker():
            run = pipeline.nightly_run_start(as_of=AS_OF)
        assert run.status == RunStatus.RUNNING
        chunk_session = _wait_until(BLOCKED_PID)
        worker_process.send_signal(signal.SIGKILL)
        worker_process.wait(timeout=30)
        locker.rollback()
    _wait_until(GONE, [chunk_session])  # PostgreSQL ended the dead worker's session
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING  # nobody told the database: only the heartbeat can
    assert not RiskSnapshot.objects.filter(run=run).exists()
    assert not SegmentMeasureStage.objects.filter(run=run).exists()

    # Three minutes later (the heartbeat is moved back rather than waited for):
    NightlyRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - pipeline.STALE_AFTER - dt.timedelta(seconds=1)
    )
    fresh = pipeline.nightly_run_start(as_of=AS_OF)  # in process: the worker is gone
    assert fresh.status == RunStatus.COMPLETE and fresh.customers == 6
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "no sign of life" in run.error
    assert not RiskSnapshot.objects.filter(run=run).exists()
