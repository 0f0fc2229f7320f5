"""The learned churn model on customers drawn from a logistic model whose truth is known."""

import datetime as dt
import json
from decimal import Decimal

import numpy as np
import pytest

from segmentation.churn import learning
from segmentation.churn.learning import (
    Comparison,
    CustomerRow,
    Decile,
    LearnedModel,
    Measures,
    calibration_deciles,
    choose,
    compare,
    contributions,
    design_matrix,
    fit,
    hand_proba,
    predict_proba,
)
from segmentation.churn.rules import SIGNALS, Features, combine

NAMES = tuple(SIGNALS)
# The truth, per raw unit: log-odds of "no order in the horizon".
TRUE_SIGNALS = {"overdue": 2.0, "few_orders": 1.0, "competitor": 1.5, "dissatisfaction": 0.8}
TRUE_DAYS = 1 / 100  # per day since the last order
TRUE_EXPECTED = -0.6  # per expected order
TRUE_INTERCEPT = -2.0
# Weights a careless hand would set: all on signals that have nothing to do with leaving.
WRONG_WEIGHTS = {"volume_drop": 0.9, "price_comparison": 0.9, "org_change": 0.9}


def strengths(**raised: float) -> dict[str, float]:
    return {name: raised.get(name, 0.0) for name in NAMES}


def truth(n: int, seed: int, *, expectation: bool = True) -> tuple[list[CustomerRow], np.ndarray]:
    """`n` customers, most signals at 0 as in a real portfolio, labels drawn from the truth."""
    rng = np.random.default_rng(seed)
    s = np.where(rng.random((n, len(NAMES))) < 0.3, rng.random((n, len(NAMES))), 0.0)
    days = rng.integers(0, 366, n)
    occasions = rng.poisson(6, n)
    revenue = rng.lognormal(10, 1, n)
    expected = occasions * 90 / 365 * rng.uniform(0.5, 1.5, n)
    beta = np.array([TRUE_SIGNALS.get(name, 0.0) for name in NAMES])
    logit = TRUE_INTERCEPT + s @ beta + TRUE_DAYS * days
    logit += TRUE_EXPECTED * expected if expectation else 0.0
    lost = rng.random(n) < 1 / (1 + np.exp(-logit))
    rows = [
        CustomerRow(dict(zip(NAMES, si, strict=True)), d, o, r, e if expectation else None)
        for si, d, o, r, e in zip(s.tolist(), days, occasions, revenue, expected, strict=True)
    ]
    return rows, lost


@pytest.fixture(scope="module")
def sample():
    rows, lost = truth(20_000, seed=1)
    return design_matrix(rows), lost


@pytest.fixture(scope="module")
def model(sample):
    return fit(*sample)


@pytest.fixture(scope="module")
def comparison(sample):
    design, lost = sample
    first = np.arange(5000)
    return compare(design.rows(first), lost[first], weights=WRONG_WEIGHTS)


def one(row: CustomerRow) -> learning.Design:
    return design_matrix([row])


class TestDesignMatrix:
    def test_columns_are_the_signals_in_order_then_the_covariates(self):
        design = one(CustomerRow(strengths(overdue=0.5), 40, 6, 1000.0))
        assert design.names == (*NAMES, "days_since_last_order", "occasions_12m", "log_revenue_12m")
        assert design.x.tolist() == [[0.5] + [0.0] * 9 + [40.0, 6.0, np.log1p(1000.0)]]

    def test_the_expectation_is_the_last_column_when_present(self):
        design = one(CustomerRow(strengths(), 40, 6, 1000.0, expected_orders=1.5))
        assert design.names[-1] == "expected_orders" and design.x[0, -1] == 1.5

    def test_a_negative_revenue_counts_as_none(self):
        design = one(CustomerRow(strengths(), 40, 6, -500.0))
        assert design.x[0, design.names.index("log_revenue_12m")] == 0.0

    def test_the_expectation_must_be_on_every_row_or_none(self):
        rows = [CustomerRow(strengths(), 1, 1, 1.0, 0.5), CustomerRow(strengths(), 1, 1, 1.0)]
        with pytest.raises(ValueError, match="Row 1: expected_orders is missing"):
            design_matrix(rows)

    def test_a_missing_strength_is_named(self):
        rows = [CustomerRow(strengths(), 1, 1, 1.0), CustomerRow({"overdue": 1.0}, 1, 1, 1.0)]
        with pytest.raises(ValueError, match="Row 1: no strength for signal 'few_orders'"):
            design_matrix(rows)

    def test_a_number_that_is_not_finite_is_named(self):
        with pytest.raises(ValueError, match="Row 0: days_since_last_order is not a finite"):
            one(CustomerRow(strengths(), float("nan"), 1, 1.0))

    def test_a_row_from_features_counts_days_to_the_as_of_date(self):
        f = Features(
            account_id=7,
            last_order_on=dt.date(2026, 9, 1),
            occasions_365d=4,
            revenue_12m=Decimal("1200.50"),
        )
        row = learning.row_for(f, strengths(), as_of=dt.date(2026, 10, 1))
        assert row[1:] == (30, 4, 1200.5, None)

    def test_a_customer_without_an_order_has_no_row(self):
        with pytest.raises(ValueError, match="Customer 7 has no order"):
            learning.row_for(Features(account_id=7), strengths(), as_of=dt.date(2026, 10, 1))


class TestFit:
    def test_it_recovers_the_sign_and_size_of_the_true_coefficients(self, model):
        per_unit = model.per_unit()
        for name, true in TRUE_SIGNALS.items():
            assert per_unit[name] == pytest.approx(true, rel=0.2), name
        assert per_unit["days_since_last_order"] == pytest.approx(TRUE_DAYS, rel=0.2)
        assert per_unit["expected_orders"] == pytest.approx(TRUE_EXPECTED, rel=0.3)

    def test_signals_without_effect_get_next_to_no_weight(self, model):
        per_unit = model.per_unit()
        for name in set(NAMES) - set(TRUE_SIGNALS):
            assert abs(per_unit[name]) < 0.25, name

    def test_without_an_expectation_the_model_has_no_such_column(self):
        rows, lost = truth(2000, seed=2, expectation=False)
        assert "expected_orders" not in fit(design_matrix(rows), lost).names

    def test_a_signal_nobody_raised_stays_at_zero(self, sample):
        design, lost = sample
        model = fit(design.with_zero("assessment"), lost)
        assert model.per_unit()["assessment"] == 0.0

    def test_it_needs_both_fates(self, sample):
        design, lost = sample
        with pytest.raises(ValueError, match="both lost and kept"):
            fit(design, np.ones_like(lost))

    def test_it_needs_a_label_per_customer(self, sample):
        design, lost = sample
        with pytest.raises(ValueError, match="19999 labels for 20000 customers"):
            fit(design, lost[1:])


class TestScoring:
    def test_the_model_round_trips_through_json_to_the_same_probabilities(self, sample, model):
        design, _ = sample
        again = LearnedModel.from_json(json.loads(json.dumps(model.to_json())))
        assert again == model
        assert np.array_equal(predict_proba(again, design), predict_proba(model, design))

    def test_a_broken_model_is_refused_by_name(self, model):
        data = {**model.to_json(), "scales": [1.0]}
        with pytest.raises(ValueError, match="1 scales for 14 names"):
            LearnedModel.from_json(data)
        with pytest.raises(ValueError, match="Not a learned churn model"):
            LearnedModel.from_json({"names": ["overdue"]})

    def test_a_design_with_other_columns_is_refused(self, model):
        without = one(CustomerRow(strengths(), 40, 6, 1000.0))
        with pytest.raises(ValueError, match="The model expects columns"):
            predict_proba(model, without)

    def test_the_probability_is_the_logistic_of_the_standardised_features(self, sample, model):
        design, _ = sample
        z = (design.x[0] - np.array(model.means)) / np.array(model.scales)
        by_hand = 1 / (1 + np.exp(-(z @ np.array(model.coefficients) + model.intercept)))
        assert predict_proba(model, design.rows(np.arange(1)))[0] == pytest.approx(by_hand)

    def test_the_hand_probability_is_the_noisy_or_score_over_100(self, sample):
        design, _ = sample
        weights = {**WRONG_WEIGHTS, "overdue": 0.95, "few_orders": 1.3}  # one weight caps at 1
        p = hand_proba(weights, design)
        for i in range(50):
            s = dict(zip(NAMES, design.x[i, : len(NAMES)].tolist(), strict=True))
            assert p[i] == pytest.approx(combine(s, weights) / 100, abs=1e-12)


class TestContributions:
    CUSTOMER = CustomerRow(strengths(overdue=1.0, competitor=1.0), 120, 3, 5000.0, 0.4)

    def test_the_hand_weights_add_what_the_noisy_or_loses_without_the_signal(self):
        points = contributions({"overdue": 0.5, "competitor": 0.5}, one(self.CUSTOMER))
        # p(all) = 1 - 0.5 * 0.5 = 0.75; without either one, 0.5: each adds 25 points.
        column = dict(zip(NAMES, points[0].tolist(), strict=True))
        assert column["overdue"] == pytest.approx(25.0)
        assert column["competitor"] == pytest.approx(25.0)

    @pytest.mark.parametrize("scorer", ["learned", "hand"])
    def test_an_absent_signal_adds_nothing_and_a_raised_one_adds_points(self, scorer, model):
        chosen = model if scorer == "learned" else WRONG_WEIGHTS | {"overdue": 0.9}
        points = dict(zip(NAMES, contributions(chosen, one(self.CUSTOMER))[0], strict=True))
        assert points["few_orders"] == 0.0 and points["org_change"] == 0.0
        assert points["overdue"] > 5.0

    def test_the_learned_points_are_the_drop_when_the_signal_is_removed(self, model):
        design = one(self.CUSTOMER)
        without = one(self.CUSTOMER._replace(strengths=strengths(overdue=1.0)))
        expected = 100 * (predict_proba(model, design) - predict_proba(model, without))[0]
        column = NAMES.index("competitor")
        assert contributions(model, design)[0, column] == pytest.approx(expected)

    def test_they_are_computed_for_every_customer_at_once(self, sample, model):
        design, _ = sample
        assert contributions(model, design).shape == (20_000, len(NAMES))


class TestCalibrationDeciles:
    def test_ten_equal_groups_lowest_risk_first(self):
        p = np.arange(20) / 20
        lost = np.array([False] * 18 + [True, True])
        deciles = calibration_deciles(p, lost)
        assert [d.count for d in deciles] == [2] * 10
        assert deciles[0] == Decile(2, 0.0, 0.05, 0.025, 0.0)
        assert deciles[-1] == Decile(2, 0.9, 0.95, 0.925, 1.0)

    def test_fewer_customers_than_deciles_give_fewer_groups(self):
        deciles = calibration_deciles(np.array([0.2, 0.1, 0.3]), np.array([True, False, True]))
        assert [(d.mean_predicted, d.observed) for d in deciles] == [
            (0.1, 0.0),
            (0.2, 1.0),
            (0.3, 1.0),
        ]

    def test_they_hold_every_customer_once(self, comparison):
        for measures in (comparison.learned, comparison.hand):
            assert sum(d.count for d in measures.deciles) == 5000
            assert sum(d.observed * d.count for d in measures.deciles) == pytest.approx(
                comparison.lost
            )


class TestCompare:
    def test_the_brier_difference_is_paired_customer_by_customer(self):
        lost = np.array([True, False, True, False])
        learned = np.array([0.5, 0.5, 1.0, 0.0])  # squared errors 0.25, 0.25, 0, 0
        hand = np.array([0.0, 0.0, 0.5, 0.5])  # squared errors 1, 0, 0.25, 0.25
        difference, se = learning.paired_brier_difference(learned, hand, lost)
        # Differences -0.75, 0.25, -0.25, -0.25: mean -0.25, sample sd sqrt(1/6), over sqrt(4).
        assert difference == -0.25
        assert se == pytest.approx(np.sqrt(1 / 6) / 2)

    def test_it_reports_the_paired_difference_of_its_own_brier_scores(self, comparison):
        difference = comparison.learned.brier - comparison.hand.brier
        assert comparison.brier_difference == pytest.approx(difference)
        assert 0 < comparison.brier_difference_se < abs(difference) / 2

    def test_the_learned_model_beats_a_wrong_hand_weighting(self, comparison):
        assert comparison.learned.auc > comparison.hand.auc + 0.05
        assert comparison.learned.brier < comparison.hand.brier - 0.02
        assert choose(comparison).reason == "learned_better"

    def test_the_held_out_learned_probabilities_are_calibrated(self, comparison):
        for decile in comparison.learned.deciles:
            assert decile.observed == pytest.approx(decile.mean_predicted, abs=0.08)

    def test_it_is_repeatable_for_a_seed(self, sample):
        design, lost = sample
        first = np.arange(1000)
        runs = [compare(design.rows(first), lost[first], weights={}, seed=4) for _ in range(2)]
        assert runs[0] == runs[1]

    def test_it_needs_a_lost_customer_per_fold(self, sample):
        design, lost = sample
        few = np.concatenate([np.flatnonzero(lost)[:4], np.flatnonzero(~lost)[:100]])
        with pytest.raises(ValueError, match="needs 5 lost and 5 kept"):
            compare(design.rows(few), lost[few], weights={})


def comparing(
    *, lost: int, learned: tuple[float, float], hand: tuple[float, float], se: float = 0.0
) -> Comparison:
    """A comparison with the given (AUC, Brier) for each scorer."""
    return Comparison(
        customers=10 * lost,
        lost=lost,
        folds=5,
        seed=0,
        learned=Measures(*learned, deciles=()),
        hand=Measures(*hand, deciles=()),
        brier_difference=learned[1] - hand[1],
        brier_difference_se=se,
    )


BETTER = comparing(lost=500, learned=(0.75, 0.125), hand=(0.75, 0.25))


class TestChoose:
    def test_a_better_model_on_enough_outcomes_scores(self):
        choice = choose(BETTER)
        assert (choice.scorer, choice.reason) == ("learned", "learned_better")
        assert choice.numbers["learned_brier"] == 0.125 and choice.numbers["lost"] == 500

    def test_too_few_lost_customers_fall_back_to_the_hand_weights(self):
        few = comparing(lost=199, learned=(0.75, 0.125), hand=(0.75, 0.25))
        assert (choose(few).scorer, choose(few).reason) == ("hand", "too_few_lost")
        assert choose(few, minimum_lost=199).scorer == "learned"

    def test_a_brier_score_no_lower_keeps_the_hand_weights(self):
        tie = comparing(lost=500, learned=(0.875, 0.25), hand=(0.75, 0.25))
        assert choose(tie).reason == "brier_not_clearly_lower"

    def test_a_brier_score_lower_by_chance_keeps_the_hand_weights(self):
        # Lower by 0.125: clear at a standard error under 0.0625, not at exactly two of 0.0625.
        clear = comparing(lost=500, learned=(0.75, 0.125), hand=(0.75, 0.25), se=0.0624)
        assert choose(clear).scorer == "learned"
        chance = comparing(lost=500, learned=(0.75, 0.125), hand=(0.75, 0.25), se=0.0625)
        assert choose(chance).reason == "brier_not_clearly_lower"
        assert choose(chance, brier_z=1.0).scorer == "learned"

    def test_an_auc_worse_by_more_than_the_margin_keeps_the_hand_weights(self):
        at_margin = comparing(lost=500, learned=(0.625, 0.125), hand=(0.75, 0.25))
        assert choose(at_margin, auc_margin=0.125).scorer == "learned"
        below = comparing(lost=500, learned=(0.6249, 0.125), hand=(0.75, 0.25))
        assert choose(below, auc_margin=0.125).reason == "auc_worse"

    def test_the_admin_pin_overrides(self):
        few = comparing(lost=3, learned=(0.5, 0.25), hand=(0.75, 0.125))
        assert choose(few, pin="learned").as_json()["reason"] == "pinned_learned"
        assert choose(few, pin="learned").scorer == "learned"
        assert (choose(BETTER, pin="hand").scorer, choose(BETTER, pin="hand").reason) == (
            "hand",
            "pinned_hand",
        )

    def test_without_a_comparison_the_hand_weights_score(self):
        assert choose(None).reason == "no_comparison"
        pinned = choose(None, pin="learned")
        assert (pinned.scorer, pinned.reason) == ("hand", "pinned_learned_unavailable")

    def test_an_unknown_pin_is_refused(self):
        with pytest.raises(ValueError, match="pin must be one of auto, learned, hand"):
            choose(BETTER, pin="learnt")

    def test_a_negative_threshold_is_refused(self):
        with pytest.raises(ValueError, match="not negative"):
            choose(BETTER, minimum_lost=-1)
