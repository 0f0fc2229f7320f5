"""A nightly run that loses its process, fails on one customer, or is failed by an admin."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from segmentation import pipeline, tasks
from segmentation.churn.selectors import risk_config_get
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot
from tests.factories import AccountFactory, OrderFactory

AS_OF = dt.date(2026, 10, 31)


@pytest.fixture
def customers(db):
    accounts = [AccountFactory() for _ in range(4)]
    for account in accounts:
        OrderFactory(account=account, ordered_on=AS_OF - dt.timedelta(days=5))
    return accounts


def running_run(*, silent_for: dt.timedelta, started_ago: dt.timedelta) -> NightlyRun:
    now = timezone.now()
    run = NightlyRun.objects.create(as_of=AS_OF - dt.timedelta(days=1))
    NightlyRun.objects.filter(pk=run.pk).update(
        started_at=now - started_ago, heartbeat_at=now - silent_for
    )
    return run


class TestHeartbeat:
    def test_a_run_silent_for_three_minutes_is_failed_by_the_next_start(self, customers):
        dead = running_run(
            silent_for=dt.timedelta(minutes=3, seconds=1), started_ago=dt.timedelta(minutes=4)
        )
        run = pipeline.nightly_run_start(as_of=AS_OF)
        assert run.status == RunStatus.COMPLETE
        dead.refresh_from_db()
        assert dead.status == RunStatus.FAILED and "no sign of life since" in dead.error

    def test_a_long_run_that_still_beats_is_not_abandoned(self, customers):
        """Started five hours ago, beat two minutes ago: alive, whatever its age."""
        running_run(silent_for=dt.timedelta(minutes=2), started_ago=dt.timedelta(hours=5))
        with pytest.raises(pipeline.RunAlreadyRunning):
            pipeline.nightly_run_start(as_of=AS_OF)

    def test_every_chunk_keeps_the_heartbeat(self, customers):
        run = pipeline.nightly_run_claim(as_of=AS_OF, config=risk_config_get())
        old = timezone.now() - dt.timedelta(minutes=10)
        NightlyRun.objects.filter(pk=run.pk).update(heartbeat_at=old)
        pipeline.nightly_chunk_process(run_id=run.pk, lo=customers[0].pk, hi=customers[-1].pk)
        run.refresh_from_db()
        assert run.heartbeat_at > old + dt.timedelta(minutes=9)
        assert not pipeline.is_stale(run, now=timezone.now())


class TestFailing:
    def test_failing_a_run_that_completed_meanwhile_changes_nothing(self, customers):
        run = pipeline.nightly_run_start(as_of=AS_OF)
        assert pipeline.nightly_run_fail(run_id=run.pk, error="late") is False
        run.refresh_from_db()
        assert run.status == RunStatus.COMPLETE and not run.error
        assert RiskSnapshot.objects.filter(run=run).count() == 4

    def test_a_chunk_of_a_run_failed_meanwhile_writes_nothing(self, customers):
        run = pipeline.nightly_run_claim(as_of=AS_OF, config=risk_config_get())
        pipeline.nightly_run_fail(run_id=run.pk, error="marked failed")
        counts = pipeline.risk_chunk_step(run, customers[0].pk, customers[-1].pk)
        assert counts == {} and not RiskSnapshot.objects.filter(run=run).exists()

    def test_a_failure_names_the_customer_it_failed_on(self, customers):
        """An order dated 0001-01-01 (written past the importers' date check) overflows the
        nightly SQL: the error names that customer, not just the chunk."""
        bad = customers[2]
        OrderFactory(account=bad, ordered_on=dt.date(1, 1, 1))
        with pytest.raises(pipeline.ChunkFailed) as failure:
            pipeline.nightly_run_start(as_of=AS_OF)
        message = f"failed on customer {bad.external_id} (id {bad.pk})"
        assert message in str(failure.value)
        failed = NightlyRun.objects.get(status=RunStatus.FAILED)
        assert message in failed.error and not RiskSnapshot.objects.filter(run=failed).exists()


class TestRunPage:
    def test_an_admin_marks_a_stale_run_failed_from_its_page(self, client, admin_user, customers):
        dead = running_run(silent_for=dt.timedelta(minutes=5), started_ago=dt.timedelta(hours=1))
        RiskSnapshot.objects.create(
            run=dead, account=customers[0], score=10, level="low", revenue_12m=0,
            gross_profit_12m=0,
        )  # fmt: skip
        client.force_login(admin_user)
        page = client.get(reverse("risk:run", args=[dead.pk]))
        assert 'data-testid="run-stale"' in page.text and 'data-testid="run-fail"' in page.text
        response = client.post(reverse("risk:run_fail", args=[dead.pk]), follow=True)
        dead.refresh_from_db()
        assert dead.status == RunStatus.FAILED and str(admin_user) in dead.error
        assert not RiskSnapshot.objects.filter(run=dead).exists()
        assert "marked failed" in response.text
        assert pipeline.nightly_run_start(as_of=AS_OF).status == RunStatus.COMPLETE

    def test_only_admins_open_or_fail_a_run(self, client, sales_manager, customers):
        run = running_run(silent_for=dt.timedelta(minutes=5), started_ago=dt.timedelta(hours=1))
        client.force_login(sales_manager)
        assert client.get(reverse("risk:run", args=[run.pk])).status_code == 403
        assert client.post(reverse("risk:run_fail", args=[run.pk])).status_code == 403
        run.refresh_from_db()
        assert run.status == RunStatus.RUNNING

    def test_a_finished_run_has_no_fail_button(self, client, admin_user, customers):
        run = pipeline.nightly_run_start(as_of=AS_OF)
        client.force_login(admin_user)
        page = client.get(reverse("risk:run", args=[run.pk]))
        assert page.status_code == 200 and 'data-testid="run-fail"' not in page.text
        response = client.post(reverse("risk:run_fail", args=[run.pk]), follow=True)
        assert "already finished" in response.text
        run.refresh_from_db()
        assert run.status == RunStatus.COMPLETE


class TestSchedule:
    def test_the_scheduled_run_computes_a_night_once(self, customers, monkeypatch):
        monkeypatch.setattr(pipeline, "default_as_of", lambda: AS_OF)
        first = tasks.nightly_run_task.apply().get()
        again = tasks.nightly_run_task.apply().get()
        assert first.endswith(": complete") and again.endswith("already complete")
        assert NightlyRun.objects.filter(as_of=AS_OF).count() == 1

    def test_beat_catches_up_a_missed_night_once(self, db):
        """Down for three nights: the 02:00 crontab is due once when beat comes back, and not
        again until the next 02:00 (so one run, of yesterday, not three)."""
        from django_celery_beat.models import CrontabSchedule

        crontab = CrontabSchedule(minute="0", hour="2", timezone="Asia/Jerusalem").schedule
        last_run = timezone.now() - dt.timedelta(days=3)
        due, _ = crontab.is_due(last_run)
        assert due
        due_again, wait = crontab.is_due(timezone.now())
        assert not due_again and 0 < wait <= 24 * 3600
