"""The nightly fit on a look-back whose truth is known: customers drawn from the MBG/NBD process,
lost when they make no buying occasion in the horizon; the choice of scorer and its fallbacks."""

import numpy as np
import pytest

from segmentation.churn import fitting, learning
from segmentation.churn import repeat_buying as rb
from segmentation.churn.backtest import scorer_table
from segmentation.churn.fitting import LookBack, fit_lookback
from segmentation.churn.learning import EXPECTATION, CustomerRow
from segmentation.churn.rules import SIGNALS

NAMES = tuple(SIGNALS)
TRUE = rb.Params(r=0.9, alpha=60.0, a=0.7, b=4.5)
HORIZON = 90
# Weights on signals that say nothing here: the hand weights must lose to the learned model.
WRONG_WEIGHTS = {"volume_drop": 0.9, "price_comparison": 0.9, "org_change": 0.9}


def lookback(n: int, seed: int) -> LookBack:
    """`n` customers from the MBG/NBD process; every one is a row (active, for simplicity)."""
    rng = np.random.default_rng(seed)
    s = rb.simulate(TRUE, rng.uniform(120, 1400, n), rng=rng, horizon=HORIZON)
    T, t_x = np.floor(s.T), np.minimum(np.round(s.t_x), np.floor(s.T))
    summaries = [rb.Summary(int(x), int(tx), int(t)) for x, tx, t in zip(s.x, t_x, T, strict=True)]
    noise = np.where(rng.random((n, len(NAMES))) < 0.2, rng.random((n, len(NAMES))), 0.0)
    rows = [
        CustomerRow(dict(zip(NAMES, strengths, strict=True)), t - tx, min(x, 12), 1000.0 * (x + 1))
        for strengths, (x, tx, t) in zip(noise.tolist(), summaries, strict=True)
    ]
    return LookBack(HORIZON, rows, summaries, s.future == 0, summaries)


@pytest.fixture(scope="module")
def sample() -> LookBack:
    return lookback(3000, seed=5)


def test_the_learned_model_is_chosen_when_it_is_better_on_enough_outcomes(sample):
    result = fit_lookback(sample, weights=WRONG_WEIGHTS, minimum_lost=200, pin="auto")
    assert result.customers == 3000 and result.lost == int(np.sum(sample.lost)) >= 200
    assert result.choice.scorer == "learned" and result.choice.reason == "learned_better"
    assert result.model is not None and EXPECTATION in result.model.names
    assert result.comparison.learned.auc > result.comparison.hand.auc
    assert result.comparison.learned.brier < result.comparison.hand.brier


def test_the_repeat_buying_parameters_are_recovered_from_the_look_back(sample):
    fitted = fit_lookback(sample, weights=WRONG_WEIGHTS, minimum_lost=200, pin="auto")
    params = fitted.repeat_buying
    assert params is not None and params.customers == 3000
    assert params.r / params.alpha == pytest.approx(TRUE.r / TRUE.alpha, rel=0.15)
    assert params.a / (params.a + params.b) == pytest.approx(TRUE.a / (TRUE.a + TRUE.b), rel=0.3)


def test_the_expectation_is_the_learned_models_covariate_and_lowers_the_risk(sample):
    model = fit_lookback(sample, weights=WRONG_WEIGHTS, minimum_lost=200, pin="auto").model
    assert model.per_unit()[EXPECTATION] < 0  # more expected occasions, less chance of none


def test_too_few_lost_customers_fall_back_to_the_hand_weights(sample):
    result = fit_lookback(sample, weights=WRONG_WEIGHTS, minimum_lost=10**6, pin="auto")
    assert (result.choice.scorer, result.choice.reason) == ("hand", "too_few_lost")
    assert result.model is not None  # fitted and kept as a version all the same


def test_without_enough_outcomes_to_compare_the_hand_weights_score():
    small = lookback(40, seed=1)
    few = LookBack(HORIZON, small.rows, small.row_summaries, np.arange(40) < 3, small.summaries)
    result = fit_lookback(few, weights=WRONG_WEIGHTS, minimum_lost=1, pin="auto")
    assert (result.choice.scorer, result.choice.reason) == ("hand", "no_comparison")
    assert result.model is None and result.comparison is None
    pinned = fit_lookback(few, weights=WRONG_WEIGHTS, minimum_lost=1, pin="learned")
    assert (pinned.choice.scorer, pinned.choice.reason) == ("hand", "pinned_learned_unavailable")


def test_an_admin_pin_decides(sample):
    hand = fit_lookback(sample, weights=WRONG_WEIGHTS, minimum_lost=200, pin="hand")
    assert (hand.choice.scorer, hand.choice.reason) == ("hand", "pinned_hand")
    learned = fit_lookback(sample, weights=WRONG_WEIGHTS, minimum_lost=10**6, pin="learned")
    assert (learned.choice.scorer, learned.choice.reason) == ("learned", "pinned_learned")


def test_an_empty_look_back_scores_with_the_hand_weights():
    empty = LookBack(HORIZON, [], [], np.array([], dtype=bool), [])
    result = fit_lookback(empty, weights=WRONG_WEIGHTS, minimum_lost=200, pin="auto")
    assert (result.customers, result.lost, result.repeat_buying, result.model) == (0, 0, None, None)
    assert result.choice.scorer == "hand"


def test_a_look_back_needs_one_label_and_one_summary_per_row(sample):
    with pytest.raises(ValueError, match="one each per customer"):
        LookBack(HORIZON, sample.rows[:3], sample.row_summaries[:2], sample.lost[:3], [])


def test_no_expectation_is_used_when_the_repeat_buying_fit_does_not_converge():
    """Nobody ever came back: the chance of leaving cannot be pinned down."""
    once = [rb.Summary(0, 0, 10 + round(690 * i / 499)) for i in range(500)]
    assert fitting.repeat_buying_fit(once) is None
    rows = [CustomerRow(dict.fromkeys(NAMES, 0.0), s.T, 1, 500.0) for s in once]
    lost = np.arange(len(once)) % 3 == 0
    result = fit_lookback(
        LookBack(HORIZON, rows, once, lost, once), weights=WRONG_WEIGHTS, minimum_lost=1, pin="auto"
    )
    assert result.model is not None and EXPECTATION not in result.model.names


def test_the_parameters_round_trip_through_json(sample):
    fitted = fitting.repeat_buying_fit(sample.summaries)
    stored = fitting.repeat_buying_json(fitted)
    assert fitting.params_from_json(stored) == rb.Params(fitted.r, fitted.alpha, fitted.a, fitted.b)
    assert fitting.params_from_json(None) is None
    with pytest.raises(ValueError, match="Not repeat-buying parameters"):
        fitting.params_from_json({"r": 1.0})


def test_expectations_are_the_models_conditional_expectation(sample):
    fitted = fitting.repeat_buying_fit(sample.summaries)
    expected = fitting.expectations(fitted, HORIZON, sample.row_summaries[:5])
    x, t_x, T = rb.summary_arrays(list(sample.row_summaries[:5]))
    assert expected.tolist() == rb.expected_occasions(fitted, HORIZON, x, t_x, T).tolist()
    assert learning.design_matrix(fitting.with_expectations(sample.rows[:5], expected)).names[
        -1
    ] == (EXPECTATION)


def test_the_backtest_sets_the_scorers_side_by_side_on_the_same_customers(sample):
    table = {row.scorer: row for row in scorer_table(sample, WRONG_WEIGHTS)}
    assert list(table) == ["hand", "learned", "repeat_buying", "days_since_last_order"]
    lost = np.asarray(sample.lost)
    fitted = fitting.repeat_buying_fit(sample.summaries)
    x, t_x, T = rb.summary_arrays(list(sample.row_summaries))
    silent = rb.probability_no_occasion(fitted, HORIZON, x, t_x, T)
    assert table["repeat_buying"].brier == pytest.approx(np.mean((silent - lost) ** 2))
    assert table["repeat_buying"].auc == pytest.approx(learning.measure(silent, lost).auc)
    # The data come from the repeat-buying model: alone it ranks far better than the wrong
    # hand weights, and the learned model, which reads its expectation, about as well.
    assert table["repeat_buying"].auc > table["hand"].auc + 0.1
    assert table["learned"].auc > table["repeat_buying"].auc - 0.02
    assert table["learned"].brier < table["hand"].brier
    for row in table.values():
        assert [t.share for t in row.top] == [0.1, 0.2]
        assert 0 <= row.top[0].recall <= row.top[1].recall <= 1


def test_too_few_customers_for_the_repeat_buying_model_give_no_expectation(sample):
    few = list(sample.summaries[: fitting.REPEAT_BUYING_MINIMUM - 1])
    assert fitting.repeat_buying_fit(few) is None
    assert fitting.repeat_buying_fit(list(sample.summaries[:200])) is not None
