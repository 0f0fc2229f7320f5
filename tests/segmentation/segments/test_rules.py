"""Segment rules on hand-built measures: each rule's edge, each precedence, pins."""

from decimal import Decimal

import pytest

from segmentation.enums import QualifyMode, Segment
from segmentation.segments.decision import DecisionModel
from segmentation.segments.evaluate import evaluate
from segmentation.segments.rules import (
    Measures,
    SegmentConfig,
    defend_reasons,
    grow_reasons,
    precedence_rank,
    primary_segment,
)

C = SegmentConfig()
NOBODY = DecisionModel(percentile=100.0)


def codes(reasons):
    return [r.code for r in reasons]


def test_a_quiet_customer_matches_nothing():
    m = Measures(account_id=1, revenue_12m=Decimal(100), revenue_prev_12m=Decimal(100))
    assert evaluate(m, c=C, model=NOBODY) == (None, 3, [])


def test_defend_takes_the_churn_engines_evidence_flags_and_high_risk():
    flags = {
        "complaints": {"complaints": 2},
        "competitor": {"days_since": 10},
        "overdue": {"days_since_last_order": 90},  # an order-history flag is not defend evidence
    }
    m = Measures(
        account_id=1,
        risk_flags=flags,
        churn_level="high",
        churn_score=Decimal("71.5"),
        churn_probability=Decimal("0.683"),
    )
    reasons = defend_reasons(m, c=C)
    assert codes(reasons) == ["complaints", "competitor", "churn_risk"]
    assert reasons[0].evidence == {"complaints": 2}
    # The probability the run's scorer gave (the learned model's here), beside the hand score.
    assert reasons[2].evidence == {"score": "71.5", "probability": "0.683"}


def test_medium_churn_risk_is_not_defend():
    assert defend_reasons(Measures(account_id=1, churn_level="medium"), c=C) == []


def test_a_poor_or_falling_assessment_is_the_churn_engines_flag():
    """One rule for the relationship assessment: defend gives the churn engine's flags (raised
    by the thresholds at /risk/settings/) with their evidence, in the reasons' order."""
    poor = {"score": 35, "on": "2026-05-01", "max": 40}
    falling = {"score": 35, "on": "2026-05-01", "previous_score": 60, "drop": 25}
    flags = {
        "relationship_falling": falling,
        "competitor": {"events": 1},
        "poor_relationship": poor,
    }
    reasons = defend_reasons(Measures(account_id=1, risk_flags=flags), c=C)
    assert codes(reasons) == ["poor_relationship", "relationship_falling", "competitor"]
    assert reasons[0].evidence == poor and reasons[1].evidence == falling


def test_grow_names_the_categories_its_peers_buy():
    m = Measures(account_id=1, missing_categories=("Cables", "Tools"), peers=12)
    [reason] = grow_reasons(m, c=C)
    assert reason.evidence == {"categories": ["Cables", "Tools"], "peers": 12, "share_pct": 50}


@pytest.mark.parametrize(("revenue", "matched"), [("50000", True), ("50001", False)])
def test_revenue_at_most_half_the_potential_is_room_to_grow(revenue, matched):
    m = Measures(account_id=1, revenue_12m=Decimal(revenue), purchasing_potential=Decimal("100000"))
    reasons = grow_reasons(m, c=C)
    assert codes(reasons) == (["below_potential"] if matched else [])
    if matched:
        assert reasons[0].evidence == {
            "revenue_12m": "50000",
            "potential": "100000",
            "share_pct": "50",
        }


def test_no_recorded_potential_is_no_evidence():
    assert grow_reasons(Measures(account_id=1, purchasing_potential=None), c=C) == []


@pytest.mark.parametrize(("revenue", "matched"), [("120", True), ("119", False)])
def test_a_rising_trend_is_at_least_twenty_percent_year_on_year(revenue, matched):
    m = Measures(account_id=1, revenue_12m=Decimal(revenue), revenue_prev_12m=Decimal(100))
    assert codes(grow_reasons(m, c=C)) == (["rising_trend"] if matched else [])


def test_no_previous_year_is_no_trend():
    m = Measures(account_id=1, revenue_12m=Decimal(500), revenue_prev_12m=Decimal(0))
    assert m.yoy_growth_pct is None
    assert grow_reasons(m, c=C) == []


def _all_three() -> Measures:
    return Measures(
        account_id=1,
        churn_level="high",
        orders_12m=3,
        score_percentile=0.95,
        revenue_12m=Decimal(200),
        revenue_prev_12m=Decimal(100),
    )


@pytest.mark.parametrize(
    ("precedence", "expected"),
    [
        ((Segment.DEFEND, Segment.STRATEGIC, Segment.GROW), Segment.DEFEND),
        ((Segment.STRATEGIC, Segment.DEFEND, Segment.GROW), Segment.STRATEGIC),
        ((Segment.GROW, Segment.DEFEND, Segment.STRATEGIC), Segment.GROW),
        ((Segment.GROW, Segment.STRATEGIC, Segment.DEFEND), Segment.GROW),
    ],
)
def test_the_primary_segment_follows_the_precedence(precedence, expected):
    config = SegmentConfig(precedence=precedence)
    decision = evaluate(_all_three(), c=config, model=DecisionModel(percentile=90))
    assert decision.segment == expected
    assert decision.precedence_rank == 0
    assert {r.segment for r in decision.reasons} == {
        Segment.DEFEND,
        Segment.STRATEGIC,
        Segment.GROW,
    }


def test_second_in_precedence_when_the_first_does_not_match():
    m = Measures(account_id=1, revenue_12m=Decimal(200), revenue_prev_12m=Decimal(100))
    decision = evaluate(m, c=C, model=NOBODY)
    assert (decision.segment, decision.precedence_rank) == (Segment.GROW, 2)


def test_a_pin_overrides_the_rules_but_keeps_their_reasons():
    decision = evaluate(_all_three(), c=C, model=NOBODY, pin=Segment.GROW)
    assert decision.segment == Segment.GROW
    assert "churn_risk" in codes(decision.reasons)


def test_a_pin_puts_a_customer_matching_nothing_in_a_segment():
    assert primary_segment([], precedence=C.precedence, pin=Segment.STRATEGIC) == Segment.STRATEGIC


def test_no_segment_ranks_last():
    assert precedence_rank(None, C.precedence) == 3


class TestStrategicModel:
    def test_percentile_qualifies_at_or_above(self):
        model = DecisionModel(percentile=90)
        assert evaluate(
            Measures(account_id=1, orders_12m=1, score_percentile=0.9), c=C, model=model
        ).segment
        below = Measures(account_id=1, orders_12m=1, score_percentile=0.89)
        assert evaluate(below, c=C, model=model).segment is None

    def test_a_float_just_under_still_counts(self):
        # 0.29 * 100 == 28.999999999999996 in floating point.
        m = Measures(account_id=1, orders_12m=1, score_percentile=0.29)
        assert evaluate(m, c=C, model=DecisionModel(percentile=29)).segment == Segment.STRATEGIC

    def test_thresholds_need_every_measure(self):
        model = DecisionModel(
            mode=QualifyMode.THRESHOLDS,
            thresholds={"gross_profit_12m": Decimal(1000), "regularity": Decimal(10)},
        )
        both = Measures(
            account_id=1, orders_12m=10, gross_profit_12m=Decimal(1000), months_ordered=10
        )
        one = Measures(account_id=1, orders_12m=9, gross_profit_12m=Decimal(1000), months_ordered=9)
        assert evaluate(both, c=C, model=model).segment == Segment.STRATEGIC
        assert evaluate(one, c=C, model=model).segment is None

    def test_both_needs_the_percentile_and_the_thresholds(self):
        model = DecisionModel(
            mode=QualifyMode.BOTH, percentile=50, thresholds={"orders_12m": Decimal(5)}
        )
        rank_only = Measures(account_id=1, score_percentile=0.9, orders_12m=4)
        all_ok = Measures(account_id=1, score_percentile=0.9, orders_12m=5)
        low_rank = Measures(account_id=1, score_percentile=0.4, orders_12m=50)
        assert [evaluate(m, c=C, model=model).segment for m in (rank_only, all_ok, low_rank)] == [
            None,
            Segment.STRATEGIC,
            None,
        ]

    def test_an_unknown_growth_fails_a_growth_threshold(self):
        model = DecisionModel(mode=QualifyMode.THRESHOLDS, thresholds={"yoy_growth": Decimal(0)})
        assert evaluate(Measures(account_id=1), c=C, model=model).segment is None

    def test_no_order_in_12_months_is_never_strategic(self):
        m = Measures(account_id=1, orders_12m=0, score_percentile=1.0)
        assert evaluate(m, c=C, model=DecisionModel(percentile=0)).segment is None

    def test_the_reason_carries_each_weighted_measure_with_its_rank(self):
        model = DecisionModel(weights={"gross_profit_12m": 1.0, "regularity": 1.0}, version=3)
        m = Measures(
            account_id=1,
            gross_profit_12m=Decimal("412300.00"),
            months_ordered=11,
            orders_12m=14,
            percentiles={"gross_profit_12m": 0.97, "regularity": 0.8},
            score_percentile=0.95,
        )
        [reason] = evaluate(m, c=C, model=model).reasons
        assert reason.evidence == {
            "version": 3,
            "score_percentile": 95,
            "mode": "percentile",
            "measures": [
                {"measure": "gross_profit_12m", "value": "412300.00", "percentile": 97},
                {"measure": "regularity", "value": "11", "percentile": 80},
            ],
        }
