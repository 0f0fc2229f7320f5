"""The nightly job: idempotent per date, one at a time, all or nothing, chunked."""

import datetime as dt
import importlib
from decimal import Decimal

import psycopg
import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from segmentation import pipeline, tasks
from segmentation.churn.selectors import risk_config_get
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot
from segmentation.pipeline import nightly_run_start
from tests.factories import AccountFactory, OrderFactory

AS_OF = dt.date(2026, 10, 31)


@pytest.fixture
def customers(db):
    """Five customers: a weekly buyer gone quiet for two months, the others still buying."""
    accounts = [AccountFactory() for _ in range(5)]
    for i, account in enumerate(accounts):
        last = AS_OF - dt.timedelta(days=60 if i == 0 else 3)
        for week in range(20):
            OrderFactory(account=account, ordered_on=last - dt.timedelta(weeks=week))
    return accounts


def snapshots_of(run: NightlyRun) -> dict[int, RiskSnapshot]:
    return {s.account_id: s for s in RiskSnapshot.objects.filter(run=run)}


def test_a_run_scores_every_customer(customers):
    run = nightly_run_start(as_of=AS_OF)
    assert run.status == RunStatus.COMPLETE
    assert (run.customers, run.flagged, run.chunks) == (5, 1, 1)
    snaps = snapshots_of(run)
    quiet = snaps[customers[0].pk]
    assert quiet.level == "high" and "overdue" in quiet.flag_codes
    assert quiet.score > max(snaps[a.pk].score for a in customers[1:])
    assert quiet.revenue_12m == Decimal("20000.00")
    assert quiet.gross_profit_12m == Decimal("5000.00")
    assert (quiet.revenue_prev_12m, quiet.gross_profit_prev_12m) == (0, 0)  # 20 weeks of orders
    assert run.finished_at is not None and run.settings_used["weights"]["overdue"] > 0
    assert run.timings["risk_chunk_s"] > 0 and run.timings["chunks_wall_s"] > 0


def test_rerunning_a_date_replaces_its_results(customers):
    first = nightly_run_start(as_of=AS_OF)
    second = nightly_run_start(as_of=AS_OF)
    assert list(NightlyRun.objects.complete().filter(as_of=AS_OF)) == [second]
    assert not NightlyRun.objects.filter(pk=first.pk).exists()
    assert RiskSnapshot.objects.count() == 5


def test_runs_of_other_dates_are_kept_as_history(customers):
    nightly_run_start(as_of=AS_OF - dt.timedelta(days=1))
    latest = nightly_run_start(as_of=AS_OF)
    assert NightlyRun.objects.complete().count() == 2
    assert NightlyRun.objects.latest_complete() == latest
    assert RiskSnapshot.objects.filter(account=customers[0]).count() == 2


def test_chunks_cover_every_customer_once(customers):
    ids = [a.pk for a in customers]
    assert pipeline.account_id_ranges(size=2) == [
        (ids[0], ids[2] - 1),
        (ids[2], ids[4] - 1),
        (ids[4], ids[4]),
    ]
    run = nightly_run_start(as_of=AS_OF, chunk_size=2)
    assert (run.chunks, run.customers) == (3, 5)
    assert sorted(snapshots_of(run)) == ids


def test_a_chunk_retried_after_a_failure_does_not_duplicate(customers):
    run = pipeline.nightly_run_claim(as_of=AS_OF, config=risk_config_get())
    lo, hi = customers[0].pk, customers[-1].pk
    pipeline.nightly_chunk_process(run_id=run.pk, lo=lo, hi=hi)
    counts = pipeline.nightly_chunk_process(run_id=run.pk, lo=lo, hi=hi)
    assert counts["customers"] == 5
    assert RiskSnapshot.objects.filter(run=run).count() == 5


def test_a_second_start_while_one_runs_exits_saying_so(customers):
    NightlyRun.objects.create(as_of=AS_OF)
    with pytest.raises(pipeline.RunAlreadyRunning, match="has been running since"):
        nightly_run_start(as_of=AS_OF)
    with pytest.raises(CommandError, match="Not started"):
        call_command("run_nightly", "--as-of", "2026-10-31")
    assert tasks.nightly_run_task.apply().get().startswith("Nightly run")


def test_the_advisory_lock_stops_a_concurrent_claim(customers):
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [pipeline.NIGHTLY_LOCK_KEY])
        with pytest.raises(pipeline.RunAlreadyRunning, match="starting right now"):
            nightly_run_start(as_of=AS_OF)
    assert not NightlyRun.objects.exists()


def test_a_run_abandoned_by_its_worker_does_not_block_forever(customers):
    stale = NightlyRun.objects.create(as_of=AS_OF)
    NightlyRun.objects.filter(pk=stale.pk).update(
        started_at=timezone.now() - pipeline.STALE_AFTER - dt.timedelta(minutes=1)
    )
    run = nightly_run_start(as_of=AS_OF)
    assert run.status == RunStatus.COMPLETE
    stale.refresh_from_db()
    assert stale.status == RunStatus.FAILED and "no sign of life" in stale.error


def test_a_failure_keeps_the_previous_results_and_records_the_error(customers, monkeypatch):
    previous = nightly_run_start(as_of=AS_OF - dt.timedelta(days=1))

    def failing_step(run, lo, hi):
        if lo >= customers[4].pk:  # the last chunk fails after the others were written
            raise ValueError("disk full")
        return {}

    monkeypatch.setattr(pipeline, "CHUNK_STEPS", [*pipeline.CHUNK_STEPS, failing_step])
    with pytest.raises(pipeline.ChunkFailed, match="disk full"):
        nightly_run_start(as_of=AS_OF, chunk_size=2)
    failed = NightlyRun.objects.get(as_of=AS_OF)
    assert failed.status == RunStatus.FAILED
    assert "disk full" in failed.error and failed.finished_at
    assert not RiskSnapshot.objects.filter(run=failed).exists()
    assert NightlyRun.objects.latest_complete() == previous
    assert RiskSnapshot.objects.filter(run=previous).count() == 5


def test_a_failed_rerun_of_the_same_date_keeps_that_dates_results(customers, monkeypatch):
    done = nightly_run_start(as_of=AS_OF)
    monkeypatch.setattr(pipeline, "FINAL_STEPS", [lambda run: 1 / 0])
    with pytest.raises(ZeroDivisionError):
        nightly_run_start(as_of=AS_OF)
    assert NightlyRun.objects.latest_complete() == done
    assert RiskSnapshot.objects.filter(run=done).count() == 5


def test_a_run_missing_a_chunks_results_is_not_published(customers):
    run = pipeline.nightly_run_claim(as_of=AS_OF, config=risk_config_get())
    counts = pipeline.nightly_chunk_process(run_id=run.pk, lo=customers[0].pk, hi=customers[-1].pk)
    RiskSnapshot.objects.filter(account=customers[2]).delete()  # lost in a crash
    with pytest.raises(pipeline.IncompleteRun, match="scored 5 customers but 4"):
        pipeline.nightly_run_complete(run_id=run.pk, chunk_counts=[counts])
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING  # the chord's error callback then fails it


def test_the_command_reports_the_run(customers, capsys):
    call_command("run_nightly", "--as-of", "2026-10-31")
    out = capsys.readouterr().out
    assert "as of 2026-10-31: complete" in out and "5 customers, 1 flagged" in out


def test_the_command_rejects_a_bad_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_nightly", "--as-of", "31/10/2026")
    with pytest.raises(CommandError, match="outside the accepted dates"):
        call_command("run_nightly", "--as-of", "0001-01-01")


def test_beat_runs_it_at_two_in_the_configured_time_zone(db):
    # Call the data migration's function: a transactional test elsewhere may have flushed its row.
    migration = importlib.import_module("segmentation.migrations.0002_nightly_schedule")
    PeriodicTask.objects.filter(task=migration.TASK).delete()
    migration.create_schedule(django_apps, None)
    task = PeriodicTask.objects.get(task="segmentation.tasks.nightly_run_task")
    assert (task.crontab.hour, task.crontab.minute) == ("2", "0")
    assert str(task.crontab.timezone) == settings.TIME_ZONE
    assert task.enabled


def test_tasks_are_safe_under_celery_failure_modes():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    for task in (tasks.nightly_fit_task, tasks.nightly_chunk_task, tasks.nightly_finish_task):
        assert task.acks_late
        assert task.soft_time_limit < task.time_limit < visibility
        assert OperationalError in task.autoretry_for
        assert task.retry_backoff
