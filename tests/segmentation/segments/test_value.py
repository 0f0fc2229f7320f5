"""What a programme place is worth per segment, and the largest over the segments matched."""

from decimal import Decimal

import pytest
from django.utils import translation

from segmentation.segments.messages import rank_reason, reason_sentence
from segmentation.segments.rules import Measures
from segmentation.segments.value import gross_margin, programme_value, segment_value

D = Decimal


def customer(**changes: object) -> Measures:
    base = {"revenue_12m": D(200_000), "gross_profit_12m": D(50_000)}
    return Measures(account_id=1, **(base | changes))


def test_strategic_is_worth_its_gross_profit():
    assert segment_value("strategic", customer()) == D("50000.00")
    assert segment_value("strategic", customer(gross_profit_12m=D(-300))) == D("0.00")


def test_defend_is_worth_its_expected_loss():
    assert segment_value("defend", customer(churn_expected_loss=D("31000.40"))) == D("31000.40")


def test_grow_is_the_margin_on_the_room_to_its_potential():
    # 25% margin x (600,000 - 200,000)
    assert segment_value("grow", customer(purchasing_potential=D(600_000))) == D("100000.00")
    # A recorded potential it already exceeds leaves no room, whatever its peers buy.
    above = customer(purchasing_potential=D(150_000), missing_revenue=D(90_000))
    assert segment_value("grow", above) == D("0.00")


def test_without_a_potential_grow_is_the_margin_on_its_peers_missing_categories():
    assert segment_value("grow", customer(missing_revenue=D(40_000))) == D("10000.00")


def test_a_customer_without_revenue_takes_the_portfolios_margin():
    new = customer(
        revenue_12m=D(0), gross_profit_12m=D(0), purchasing_potential=D(80_000),
        portfolio_margin=D("0.3"),
    )  # fmt: skip
    assert gross_margin(new) == D("0.3")
    assert segment_value("grow", new) == D("24000.00")
    assert gross_margin(customer(revenue_12m=D(0), gross_profit_12m=D(0))) == 0


def test_a_margin_outside_zero_to_one_is_held_to_it():
    assert gross_margin(customer(gross_profit_12m=D(-10_000))) == 0
    assert gross_margin(customer(gross_profit_12m=D(300_000))) == 1


def test_an_account_in_several_segments_counts_its_largest_value():
    m = customer(churn_expected_loss=D(9_000), purchasing_potential=D(600_000))
    assert programme_value(m, {"defend", "strategic", "grow"}) == (D("100000.00"), "grow")
    assert programme_value(m, {"defend", "strategic"}) == (D("50000.00"), "strategic")
    assert programme_value(m, {"defend"}) == (D("9000.00"), "defend")
    assert programme_value(m, set()) is None


def test_equal_values_name_the_first_segment_in_their_order():
    m = customer(churn_expected_loss=D(50_000))
    assert programme_value(m, {"strategic", "defend"}) == (D("50000.00"), "defend")


def test_a_value_for_no_segment_is_refused():
    with pytest.raises(ValueError, match="No value for segment 'vip'"):
        segment_value("vip", customer())


def test_the_churn_risk_reason_reads_the_probability():
    reason = {"segment": "defend", "code": "churn_risk"}
    with translation.override("en"):
        stored = reason | {"evidence": {"score": "95.0", "probability": "0.912"}}
        assert reason_sentence(stored) == "Churn risk 91% (high)."
        older = reason | {"evidence": {"score": "95.0"}}  # stored before the probability
        assert reason_sentence(older) == "Churn-risk score 95.0 (high)."
        assert (
            rank_reason(
                rule="value", segment="defend", value_segment="grow", value=D("1200"), at_stake=D(9)
            )
            == "Value ₪1,200 as Grow (gross margin × the revenue it could add)."
        )
        assert (
            rank_reason(
                rule="precedence", segment="defend", value_segment="grow", value=D(1), at_stake=D(9)
            )
            == "Segment Defend by precedence, then gross profit at stake ₪9."
        )
