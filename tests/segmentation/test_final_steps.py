"""Apps above segmentation join the nightly run through settings.NIGHTLY_FINAL_STEPS: their
steps run after segmentation's own, in the order listed, inside the transaction that publishes
the run; a path that does not import stops `manage.py check`."""

import datetime as dt

import pytest
from django.db import connection

from segmentation import pipeline
from segmentation.checks import nightly_steps_check
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun
from tests.factories import AccountFactory, OrderFactory

AS_OF = dt.date(2026, 10, 31)
calls: list[tuple[str, int, bool]] = []


def first_step(run: NightlyRun) -> None:
    calls.append(("first", run.pk, connection.in_atomic_block))


def second_step(run: NightlyRun) -> None:
    calls.append(("second", run.pk, connection.in_atomic_block))


@pytest.fixture
def steps(settings, monkeypatch):
    calls.clear()
    monkeypatch.setattr(pipeline, "FINAL_STEPS", [lambda run: calls.append(("own", run.pk, True))])
    settings.NIGHTLY_FINAL_STEPS = [f"{__name__}.first_step", f"{__name__}.second_step"]
    return settings


@pytest.mark.django_db(transaction=True)
def test_the_settings_steps_run_after_segmentations_in_order_inside_the_transaction(steps):
    OrderFactory(account=AccountFactory(), ordered_on=AS_OF)
    run = pipeline.nightly_run_start(as_of=AS_OF)
    assert run.status == RunStatus.COMPLETE
    assert calls == [("own", run.pk, True), ("first", run.pk, True), ("second", run.pk, True)]
    assert set(run.timings) >= {"first_s", "second_s"}


def test_the_final_steps_are_segmentations_then_the_settings(steps):
    assert [s.__name__ for s in pipeline.final_steps()[1:]] == ["first_step", "second_step"]


def test_a_path_that_does_not_import_fails_the_check(settings):
    settings.NIGHTLY_FINAL_STEPS = ["plans.nightly.no_such_step", f"{__name__}.AS_OF"]
    errors = nightly_steps_check()
    assert [e.id for e in errors] == ["segmentation.E001", "segmentation.E001"]
    assert "no_such_step" in errors[0].msg and "not a function" in errors[1].msg


def test_the_configured_steps_pass_the_check():
    assert nightly_steps_check() == []
