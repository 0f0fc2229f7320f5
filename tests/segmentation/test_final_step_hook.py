"""The apps above segmentation join the nightly run through settings.NIGHTLY_FINAL_STEPS: their
steps run after the pipeline's own, inside the transaction that publishes the run."""

import datetime as dt

import pytest

from segmentation import pipeline
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, SegmentAssignment
from tests.factories import AccountFactory, OrderFactory

AS_OF = dt.date(2026, 10, 31)
seen: list[tuple[int, str, int]] = []


def recording_step(run: NightlyRun) -> None:
    """What a step of an app above sees: its run still running, the segments already written."""
    status = NightlyRun.objects.get(pk=run.pk).status
    seen.append((run.pk, status, SegmentAssignment.objects.filter(run=run).count()))


def failing_step(run: NightlyRun) -> None:
    raise RuntimeError("the step above failed")


HERE = __name__


@pytest.fixture
def customers(db):
    seen.clear()
    for _ in range(3):
        OrderFactory(account=AccountFactory(), ordered_on=AS_OF - dt.timedelta(days=5))


def test_a_step_named_in_the_setting_runs_after_the_pipelines_own(customers, settings):
    settings.NIGHTLY_FINAL_STEPS = [f"{HERE}.recording_step"]
    run = pipeline.nightly_run_start(as_of=AS_OF)
    assert run.status == RunStatus.COMPLETE
    assert seen == [(run.pk, RunStatus.RUNNING, 3)]
    assert "recording_s" in run.timings


def test_the_steps_run_in_the_settings_order(settings):
    settings.NIGHTLY_FINAL_STEPS = [f"{HERE}.failing_step", f"{HERE}.recording_step"]
    steps = pipeline.final_steps()
    assert steps == [*pipeline.FINAL_STEPS, failing_step, recording_step]


def test_a_failing_step_fails_the_run_and_the_previous_run_stays(customers, settings):
    previous = pipeline.nightly_run_start(as_of=AS_OF - dt.timedelta(days=1))
    settings.NIGHTLY_FINAL_STEPS = [f"{HERE}.recording_step", f"{HERE}.failing_step"]
    with pytest.raises(RuntimeError, match="the step above failed"):
        pipeline.nightly_run_start(as_of=AS_OF)
    failed = NightlyRun.objects.get(as_of=AS_OF)
    assert failed.status == RunStatus.FAILED and "the step above failed" in failed.error
    assert NightlyRun.objects.latest_complete() == previous
    assert not SegmentAssignment.objects.filter(run=failed).exists()
