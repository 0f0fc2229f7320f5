"""The nightly run's first step fits the churn model and stores it as the run's version; the
chunks read that version from the database and score today's customers with the chosen scorer."""

import datetime as dt
import inspect
from decimal import Decimal

import pytest

from segmentation import pipeline, tasks
from segmentation.churn.learning import LearnedModel
from segmentation.churn.models import RiskModelVersion, RiskSettings
from segmentation.churn.rules import SIGNALS, probability_level
from segmentation.churn.selectors import risk_config_get
from segmentation.enums import RunStatus
from segmentation.models import RiskSnapshot

AS_OF = dt.date(2026, 10, 31)
LOOKBACK = AS_OF - dt.timedelta(days=90)
pytestmark = pytest.mark.django_db
NAMES = (*SIGNALS, "days_since_last_order", "occasions_12m", "log_revenue_12m")


def settings(**changes: object) -> None:
    RiskSettings.objects.update_or_create(pk=1, defaults=changes)


def snapshots(run) -> list[RiskSnapshot]:
    return list(RiskSnapshot.objects.filter(run=run).order_by("account_id"))


def test_the_run_fits_first_stores_its_version_and_times_each_step(lookback_portfolio):
    run = pipeline.nightly_run_start(as_of=AS_OF)
    assert run.status == RunStatus.COMPLETE
    version = RiskModelVersion.objects.get(run=run)
    assert (version.as_of, version.lookback_as_of, version.horizon_days) == (AS_OF, LOOKBACK, 90)
    assert (version.customers, version.lost, version.minimum_lost) == (30, 10, 200)
    assert version.repeat_buying is not None and version.comparison is not None
    assert 0.5 <= version.learned_auc <= 1 and 0 <= version.hand_brier <= 1
    deciles = version.comparison["learned"]["deciles"]
    assert sum(d["count"] for d in deciles) == 30
    for step in ("lookback_s", "fit_s", "before_chunks_s", "chunks_wall_s", "risk_chunk_s"):
        assert run.timings[step] >= 0, step
    assert run.timings["segmentation_s"] > 0


def test_too_few_lost_customers_score_with_the_hand_weights(lookback_portfolio):
    run = pipeline.nightly_run_start(as_of=AS_OF)
    version = RiskModelVersion.objects.get(run=run)
    assert (version.scorer, version.reason) == ("hand", "too_few_lost")  # 10 < 200
    for s in snapshots(run):
        assert s.probability == s.score / 100
    assert run.high_risk == sum(s.level == "high" for s in snapshots(run))


def test_a_pinned_learned_model_scores_todays_customers(lookback_portfolio):
    settings(scorer_pin="learned", horizon_days=90)
    run = pipeline.nightly_run_start(as_of=AS_OF)
    version = RiskModelVersion.objects.get(run=run)
    assert (version.scorer, version.reason) == ("learned", "pinned_learned")
    config = risk_config_get()
    rows = snapshots(run)
    assert any(s.probability != s.score / 100 for s in rows)
    for s in rows:
        assert s.level == probability_level(s.probability, config)
        if s.gross_profit_12m > 0:
            assert s.expected_loss == (s.probability * s.gross_profit_12m).quantize(Decimal("0.01"))
    gone = {a.pk for a in lookback_portfolio["lost"]}
    mean = {
        lost: sum(float(s.probability) for s in rows if (s.account_id in gone) == lost)
        / sum(1 for s in rows if (s.account_id in gone) == lost)
        for lost in (True, False)
    }
    assert mean[True] > mean[False]  # the customers silent since before the look-back


def test_the_chunks_read_the_model_from_the_database(lookback_portfolio):
    """The chunk task carries ids only; whatever version the run has stored, it scores with."""
    assert list(inspect.signature(tasks.nightly_chunk_task.run).parameters) == [
        "run_id",
        "lo",
        "hi",
    ]
    run = pipeline.nightly_run_claim(as_of=AS_OF, config=risk_config_get())
    # Every customer at 1 / (1 + e^1): the intercept alone.
    model = LearnedModel(NAMES, (0.0,) * 13, (1.0,) * 13, (0.0,) * 13, -1.0, 1.0)
    RiskModelVersion.objects.create(
        run=run, as_of=AS_OF, lookback_as_of=LOOKBACK, horizon_days=90, pin="learned",
        minimum_lost=200, scorer="learned", reason="pinned_learned", coefficients=model.to_json(),
    )  # fmt: skip
    pipeline.nightly_chunk_process(run_id=run.pk, lo=0, hi=10**9)
    ordered = [s for s in snapshots(run) if s.revenue_12m or s.expected_occasions is not None]
    assert ordered and {s.probability for s in ordered} == {Decimal("0.269")}
    assert {s.expected_occasions for s in ordered} == {None}  # no repeat-buying parameters


def test_a_chunk_of_a_run_without_a_version_scores_with_the_hand_weights(lookback_portfolio):
    run = pipeline.nightly_run_claim(as_of=AS_OF, config=risk_config_get())
    pipeline.nightly_chunk_process(run_id=run.pk, lo=0, hi=10**9)
    assert all(s.probability == s.score / 100 for s in snapshots(run))


def test_the_horizon_setting_moves_the_look_back(lookback_portfolio):
    settings(horizon_days=30)
    run = pipeline.nightly_run_start(as_of=AS_OF)
    version = RiskModelVersion.objects.get(run=run)
    assert (version.horizon_days, version.lookback_as_of) == (30, AS_OF - dt.timedelta(days=30))
    assert run.settings_used["horizon_days"] == 30


def test_a_failing_fit_fails_the_run_and_keeps_the_previous_one(lookback_portfolio, monkeypatch):
    previous = pipeline.nightly_run_start(as_of=AS_OF - dt.timedelta(days=1))

    def broken(*args, **kwargs):
        raise ValueError("singular matrix")

    monkeypatch.setattr(pipeline, "fit_lookback", broken)
    with pytest.raises(ValueError, match="singular matrix"):
        pipeline.nightly_run_start(as_of=AS_OF)
    failed = pipeline.NightlyRun.objects.get(as_of=AS_OF)
    assert failed.status == RunStatus.FAILED and "singular matrix" in failed.error
    assert not RiskSnapshot.objects.filter(run=failed).exists()
    assert pipeline.NightlyRun.objects.latest_complete() == previous
