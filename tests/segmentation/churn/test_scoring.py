"""Today's customers scored with the run's scorer: probability, level, points per flag, the
repeat-buying expectation and the expected loss (no database)."""

import datetime as dt
from decimal import Decimal

import pytest

from segmentation.churn import learning
from segmentation.churn import repeat_buying as rb
from segmentation.churn.learning import EXPECTATION, LearnedModel
from segmentation.churn.rules import SIGNALS, Features, RiskConfig, evaluate
from segmentation.churn.scoring import ScoringModel, expected_loss, hand_probability, score_chunk
from segmentation.enums import FLAG_SIGNAL, FlagCode, SignalName

AS_OF = dt.date(2026, 10, 31)
C = RiskConfig()
PARAMS = rb.Params(r=0.9, alpha=60.0, a=0.7, b=4.5)
HAND = ScoringModel("hand", C.weights, 90, params=PARAMS)
NAMES = (*SIGNALS, "days_since_last_order", "occasions_12m", "log_revenue_12m", EXPECTATION)


def days_ago(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


def customer(pk: int, **changes: object) -> Features:
    """A weekly buyer of two years; `changes` override any feature."""
    base = {
        "orders_total": 104,
        "last_order_on": days_ago(3),
        "orders_365d": 52,
        "revenue_12m": Decimal("52000.00"),
        "gross_profit_12m": Decimal("13000.00"),
        "occasions_365d": 52,
        "gap_count": 103,
        "gap_sum": 721.0,
        "gap_sq_sum": 5047.0,
        "first_order_on": days_ago(724),
        "last_occasion_on": days_ago(3),
    }
    return Features(account_id=pk, **(base | changes))


QUIET = customer(
    2,
    last_order_on=days_ago(60),
    last_occasion_on=days_ago(60),
    complaints=2,
    last_complaint_on=days_ago(20),
    satisfaction_score=3,
    satisfaction_on=days_ago(9),
)
NO_ORDERS = Features(account_id=3, complaints=1, last_complaint_on=days_ago(5))
LOSING_MONEY = customer(4, gross_profit_12m=Decimal("-100.00"), last_order_on=days_ago(50))
CHUNK = [customer(1), QUIET, NO_ORDERS, LOSING_MONEY]


def scored(model: ScoringModel = HAND):
    results = [evaluate(f, as_of=AS_OF, c=C) for f in CHUNK]
    return results, score_chunk(CHUNK, results, as_of=AS_OF, model=model, c=C)


def learned_model(**per_unit: float) -> LearnedModel:
    """A learned model with the given log-odds per unit of each feature (unscaled)."""
    coefficients = tuple(per_unit.get(name, 0.0) for name in NAMES)
    return LearnedModel(NAMES, (0.0,) * len(NAMES), (1.0,) * len(NAMES), coefficients, -3.0, 1.0)


def test_with_the_hand_weights_the_probability_is_the_score_over_100():
    results, rows = scored()
    for result, row in zip(results, rows, strict=True):
        assert row.probability == result.score / 100
        assert row.probability.as_tuple().exponent == -3
        assert row.level == result.level
    assert rows[1].level == "high" and rows[1].probability > Decimal("0.6")


def test_each_flag_shows_the_points_its_signal_adds():
    results, rows = scored()
    flags = rows[1].flags
    codes = [f["code"] for f in flags]
    assert codes == [f.code for f in results[1].flags]
    assert {"overdue", "complaints", "low_satisfaction"} <= set(codes)
    by_code = {f["code"]: f for f in flags}
    # Complaints and low satisfaction are one signal (dissatisfaction): the same points.
    assert by_code["complaints"]["points"] == by_code["low_satisfaction"]["points"] > 0
    design = learning.design_matrix([learning.row_for(QUIET, results[1].strengths, as_of=AS_OF)])
    points = learning.contributions(C.weights, design)[0]
    overdue = learning.SIGNAL_NAMES.index("overdue")
    assert by_code["overdue"]["points"] == round(float(points[overdue]), 1)
    assert by_code["overdue"]["evidence"] == dict(results[1].flags[0].evidence)


def test_the_expected_loss_is_the_probability_times_gross_profit_never_negative():
    _, rows = scored()
    assert rows[1].expected_loss == (rows[1].probability * Decimal("13000.00")).quantize(
        Decimal("0.01")
    )
    assert rows[3].expected_loss == Decimal("0.00")  # a customer losing money
    assert expected_loss(Decimal("0.625"), Decimal("10.01")) == Decimal("6.26")  # half up


def test_the_repeat_buying_expectation_is_evidence_beside_the_flags():
    _, rows = scored()
    x, t_x, T = rb.summary_arrays([rb.summary_from(QUIET, AS_OF)])
    expected = rb.expected_occasions(PARAMS, 90, x, t_x, T)[0]
    usual = rb.usual_occasions(PARAMS, 90, x, T)[0]
    assert rows[1].expected_occasions == Decimal(f"{expected:.2f}")
    assert rows[1].usual_occasions == Decimal(f"{usual:.2f}")
    assert rows[1].expected_occasions < rows[0].expected_occasions  # silent for 60 days
    assert (rows[2].expected_occasions, rows[2].usual_occasions) == (None, None)  # no order
    no_params = ScoringModel("hand", C.weights, 90)
    assert {r.expected_occasions for r in scored(no_params)[1]} == {None}


def test_the_learned_model_gives_the_probability_and_the_level_by_its_thresholds():
    model = learned_model(days_since_last_order=0.1, dissatisfaction=1.0, expected_orders=-0.5)
    learned = ScoringModel("learned", C.weights, 90, model=model, params=PARAMS)
    results, rows = scored(learned)
    design = learning.design_matrix(
        [
            learning.row_for(f, r.strengths, as_of=AS_OF, expected_orders=float(e))
            for f, r, e in [
                (CHUNK[0], results[0], rows[0].expected_occasions),
                (QUIET, results[1], rows[1].expected_occasions),
            ]
        ]
    )
    p = learning.predict_proba(model, design)
    # Expected occasions are stored to two places; the model read the exact value.
    assert float(rows[0].probability) == pytest.approx(p[0], abs=0.0015)
    assert float(rows[1].probability) == pytest.approx(p[1], abs=0.0015)
    assert rows[1].probability > Decimal("0.9") and rows[1].level == "high"
    assert rows[0].probability < Decimal("0.3") and rows[0].level == "low"
    medium = RiskConfig(medium_level=1, high_level=99)
    assert score_chunk(CHUNK[:1], results[:1], as_of=AS_OF, model=learned, c=medium)[0].level == (
        "medium" if rows[0].probability >= Decimal("0.01") else "low"
    )


def test_under_the_learned_model_a_signal_tied_to_staying_shows_negative_points():
    model = learned_model(overdue=-2.0, dissatisfaction=2.0)
    learned = ScoringModel("learned", C.weights, 90, model=model, params=PARAMS)
    _, rows = scored(learned)
    by_code = {f["code"]: f["points"] for f in rows[1].flags}
    assert by_code["overdue"] < 0 < by_code["complaints"]


def test_a_customer_without_an_order_keeps_the_hand_weights_probability():
    model = learned_model(days_since_last_order=0.1)
    learned = ScoringModel("learned", C.weights, 90, model=model, params=PARAMS)
    results, rows = scored(learned)
    assert rows[2].probability == hand_probability(results[2].score) > 0
    assert rows[2].level == results[2].level


def test_a_scoring_model_must_be_complete():
    with pytest.raises(ValueError, match="needs a learned model"):
        ScoringModel("learned", C.weights, 90)
    with pytest.raises(ValueError, match="needs the parameters"):
        ScoringModel("learned", C.weights, 90, model=learned_model())
    assert score_chunk([], [], as_of=AS_OF, model=HAND, c=C) == []


def test_every_flag_has_its_signal_once():
    assert set(FLAG_SIGNAL) == set(FlagCode.values)
    assert set(FLAG_SIGNAL.values()) == set(SignalName.values)
    for code in FlagCode.values:  # a flag named like a signal belongs to that signal
        if code in SignalName.values:
            assert FLAG_SIGNAL[code] == code
    assert hand_probability(Decimal("62.3")) == Decimal("0.623")
