"""Retention in the database: old runs lose their per-customer rows in batches, the last run of
each month keeps them, and an account's score history reads across the pruned range."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from segmentation import pipeline
from segmentation.churn.selectors import risk_history_for_account
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot, SegmentAssignment
from segmentation.segments.services import decision_version_current
from tests.factories import AccountFactory, OrderFactory

LATEST = dt.date(2026, 10, 31)


@pytest.fixture
def history(db, settings):
    """Daily complete runs from 1 June to 31 October for two customers, with their rows."""
    settings.NIGHTLY_KEEP_DAYS = 30
    accounts = [AccountFactory(), AccountFactory()]
    version = decision_version_current()
    day = dt.date(2026, 6, 1)
    while day <= LATEST:
        run = NightlyRun.objects.create(
            as_of=day, status=RunStatus.COMPLETE, finished_at=timezone.now(), high_risk=day.day
        )
        for account in accounts:
            RiskSnapshot.objects.create(
                run=run, account=account, score=Decimal(day.day), level="low",
                revenue_12m=0, gross_profit_12m=0,
            )  # fmt: skip
            SegmentAssignment.objects.create(
                run=run, account=account, precedence_rank=0, decision_version=version,
                value_at_stake=0,
            )  # fmt: skip
        day += dt.timedelta(days=1)
    return accounts


def kept_days() -> list[dt.date]:
    runs = NightlyRun.objects.filter(snapshots__isnull=False).distinct()
    return sorted(runs.values_list("as_of", flat=True))


def test_old_runs_keep_their_rows_only_at_each_month_end(history):
    pruned = pipeline.nightly_prune(batch=7)
    cutoff = LATEST - dt.timedelta(days=30)
    assert cutoff == dt.date(2026, 10, 1)  # every run from here on keeps its rows
    month_ends = [dt.date(2026, 6, 30), dt.date(2026, 7, 31), dt.date(2026, 8, 31)]
    month_ends += [dt.date(2026, 9, 30)]
    daily = [cutoff + dt.timedelta(days=i) for i in range((LATEST - cutoff).days + 1)]
    assert kept_days() == month_ends + daily
    assert len(pruned) == NightlyRun.objects.filter(pruned_at__isnull=False).count()
    assert not RiskSnapshot.objects.filter(run__pk__in=pruned).exists()
    assert not SegmentAssignment.objects.filter(run__pk__in=pruned).exists()
    # The run records stay: a trend over every run still reads each night's count.
    assert NightlyRun.objects.count() == (LATEST - dt.date(2026, 6, 1)).days + 1


def test_the_score_history_reads_across_the_pruned_range(history):
    pipeline.nightly_prune()
    points = risk_history_for_account(account=history[0], limit=40)
    days = [s.run.as_of for s in points]
    assert days == kept_days()[-40:]
    assert days[0] < LATEST - dt.timedelta(days=30)  # monthly points before the daily ones
    assert [s.score for s in points] == [Decimal(d.day) for d in days]


def test_pruning_twice_removes_nothing_more(history):
    first = pipeline.nightly_prune()
    assert first and pipeline.nightly_prune() == []


def test_a_run_prunes_after_it_is_published(history):
    for account in history:
        OrderFactory(account=account, ordered_on=LATEST)
    run = pipeline.nightly_run_start(as_of=LATEST + dt.timedelta(days=1))
    assert run.status == RunStatus.COMPLETE
    assert NightlyRun.objects.filter(as_of=dt.date(2026, 7, 15), pruned_at__isnull=False).exists()
    assert RiskSnapshot.objects.filter(run=run).count() == 2
