"""The pure churn rules on hand-built features: known answers and every threshold edge."""

import datetime as dt
from decimal import Decimal

import pytest

from segmentation.churn import rules
from segmentation.churn.rules import Features, RiskConfig, evaluate

AS_OF = dt.date(2026, 10, 31)
C = RiskConfig()


def days_before(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


def regular(**overrides: object) -> Features:
    """A customer ordering every 20 days for two years, last order 10 days ago."""
    base: dict[str, object] = {
        "account_id": 1,
        "orders_total": 37,
        "last_order_on": days_before(10),
        "orders_365d": 18,
        "occasions_365d": 18,
        "gap_count": 36,
        "gap_sum": 720.0,
        "gap_sq_sum": 36 * 400.0,  # every gap exactly 20 days: spread 0
    }
    return Features(**{**base, **overrides})  # type: ignore[arg-type]


def codes(f: Features, c: RiskConfig = C) -> list[str]:
    return [flag.code for flag in evaluate(f, as_of=AS_OF, c=c).flags]


class TestOverdue:
    def test_usual_gap_is_shrunk_toward_the_new_customer_rhythm(self):
        # (720 + 60) / (36 + 1) = 21.08
        assert rules.usual_gap_days(regular(), C) == pytest.approx(780 / 37)

    def test_it_is_silent_within_the_rhythm(self):
        assert rules.overdue_signal(regular(), as_of=AS_OF, c=C) == rules.Signal(0.0)

    def test_it_flags_at_exactly_the_factor(self):
        usual = 780 / 37  # spread is 0, so the expected gap is the usual gap
        silence = 32  # 32 / 21.08 = 1.518 >= 1.5
        f = regular(last_order_on=days_before(silence))
        signal = rules.overdue_signal(f, as_of=AS_OF, c=C)
        # The evidence shows the rhythm the customer really has (every 20 days), not the shrunk one.
        assert signal.flags[0].evidence == {"days_since_last_order": 32, "usual_gap_days": 20}
        assert signal.strength == pytest.approx((silence / usual - 1) / 2)

    def test_a_weekly_buyer_is_described_as_ordering_every_seven_days(self):
        f = regular(
            gap_count=19, gap_sum=133.0, gap_sq_sum=19 * 49.0, last_order_on=days_before(60)
        )
        signal = rules.overdue_signal(f, as_of=AS_OF, c=C)
        assert signal.flags[0].evidence == {"days_since_last_order": 60, "usual_gap_days": 7}

    def test_it_does_not_flag_just_below_the_factor(self):
        f = regular(last_order_on=days_before(31))  # 31 / 21.08 = 1.47
        assert rules.overdue_signal(f, as_of=AS_OF, c=C).flags == ()

    def test_strength_saturates_at_three_times_the_rhythm(self):
        f = regular(last_order_on=days_before(200))
        assert rules.overdue_signal(f, as_of=AS_OF, c=C).strength == 1.0

    def test_a_bursty_buyer_is_judged_against_its_spread(self):
        # Gaps of 10 and 110 days alternate: mean 60, standard deviation about 50.
        silence = days_before(100)  # 1.67 times the usual 60 days
        bursty = regular(
            gap_count=20,
            gap_sum=1200.0,
            gap_sq_sum=10 * 100.0 + 10 * 12100.0,
            last_order_on=silence,
        )
        steady = regular(
            gap_count=20, gap_sum=1200.0, gap_sq_sum=20 * 3600.0, last_order_on=silence
        )
        assert "overdue" not in codes(bursty)
        assert "overdue" in codes(steady)

    def test_a_customer_with_one_order_gets_a_score_from_its_age(self):
        one = Features(account_id=1, orders_total=1, last_order_on=days_before(120), orders_365d=1)
        fresh = Features(account_id=2, orders_total=1, last_order_on=days_before(5), orders_365d=1)
        result = evaluate(one, as_of=AS_OF, c=C)
        assert "single_order" in [flag.code for flag in result.flags]
        assert result.score > evaluate(fresh, as_of=AS_OF, c=C).score > 0

    def test_no_orders_means_no_order_signals(self):
        result = evaluate(Features(account_id=1), as_of=AS_OF, c=C)
        assert result.score == Decimal("0.0")
        assert result.flags == ()


class TestFewOrders:
    def test_few_orders_is_flagged_up_to_two(self):
        assert "few_orders" in codes(regular(orders_365d=2, occasions_365d=2))
        assert "few_orders" not in codes(regular(orders_365d=3, occasions_365d=3))

    def test_strength_is_the_chance_of_a_quiet_period(self):
        f = regular(occasions_365d=4)
        expected = 2.718281828 ** (-4 * 90 / 365)
        assert rules.few_orders_signal(f, as_of=AS_OF, c=C).strength == pytest.approx(expected)


class TestVolumeDrop:
    # Baseline 270 days of 27,000 = 9,000 per 90 days.
    def make(self, recent: str) -> Features:
        return regular(recent_revenue=Decimal(recent), baseline_revenue=Decimal("27000"))

    def test_it_flags_a_drop_of_exactly_the_threshold(self):
        signal = rules.volume_drop_signal(self.make("6300"), as_of=AS_OF, c=C)
        assert signal.flags[0].evidence == {
            "drop_pct": 30,
            "recent_days": 90,
            "baseline_days": 270,
            "recent_revenue": 6300,
            "baseline_revenue": 9000,
        }
        assert signal.strength == pytest.approx(0.3)

    def test_it_does_not_flag_just_below(self):
        assert rules.volume_drop_signal(self.make("6310"), as_of=AS_OF, c=C).flags == ()

    def test_growth_has_no_strength(self):
        assert rules.volume_drop_signal(self.make("20000"), as_of=AS_OF, c=C).strength == 0.0

    def test_no_baseline_means_no_signal(self):
        assert rules.volume_drop_signal(regular(), as_of=AS_OF, c=C) == rules.NO_SIGNAL


class TestOrderSize:
    def make(self, recent: str, recent_orders: int = 2) -> Features:
        return regular(
            recent_orders=recent_orders,
            recent_revenue=Decimal(recent),
            baseline_orders=4,
            baseline_revenue=Decimal("4000"),
        )

    def test_it_flags_orders_a_quarter_smaller(self):
        signal = rules.order_size_signal(self.make("1500"), as_of=AS_OF, c=C)
        assert signal.flags[0].evidence == {
            "shrink_pct": 25,
            "recent_avg": 750,
            "baseline_avg": 1000,
        }

    def test_it_does_not_flag_just_below(self):
        assert rules.order_size_signal(self.make("1502"), as_of=AS_OF, c=C).flags == ()

    def test_it_needs_a_recent_order(self):
        assert rules.order_size_signal(self.make("0", 0), as_of=AS_OF, c=C) == rules.NO_SIGNAL


class TestGapGrowth:
    def test_it_flags_gaps_half_as_long_again(self):
        # Earlier: 20 gaps of 20 days; recent: 4 gaps of 30 days.
        f = regular(gap_count=24, gap_sum=520.0, recent_gap_count=4, recent_gap_sum=120.0)
        signal = rules.gap_growth_signal(f, as_of=AS_OF, c=C)
        assert signal.flags[0].evidence == {"recent_gap_days": 30, "earlier_gap_days": 20}
        assert signal.strength == pytest.approx(0.25)

    def test_it_does_not_flag_just_below(self):
        f = regular(gap_count=24, gap_sum=519.0, recent_gap_count=4, recent_gap_sum=119.0)
        assert rules.gap_growth_signal(f, as_of=AS_OF, c=C).flags == ()

    def test_it_needs_two_gaps_on_each_side(self):
        f = regular(gap_count=3, gap_sum=100.0, recent_gap_count=2, recent_gap_sum=90.0)
        assert rules.gap_growth_signal(f, as_of=AS_OF, c=C) == rules.NO_SIGNAL


class TestPriceComparison:
    def test_it_flags_half_of_the_last_orders(self):
        f = regular(price_window_orders=10, price_window_compared=5, earlier_price_compared=2)
        signal = rules.price_comparison_signal(f, as_of=AS_OF, c=C)
        # 2 of the 27 earlier orders: 7%.
        assert signal.flags[0].evidence == {
            "compared": 5,
            "orders": 10,
            "days": 180,
            "earlier_pct": 7,
        }
        assert signal.strength == 0.5

    def test_it_does_not_flag_four_of_ten(self):
        f = regular(price_window_orders=10, price_window_compared=4)
        assert rules.price_comparison_signal(f, as_of=AS_OF, c=C).flags == ()

    def test_a_share_that_is_not_growing_counts_half(self):
        f = regular(price_window_orders=10, price_window_compared=6, earlier_price_compared=27)
        assert rules.price_comparison_signal(f, as_of=AS_OF, c=C).strength == pytest.approx(0.3)

    def test_it_needs_four_orders(self):
        f = Features(account_id=1, orders_total=3, price_window_orders=3, price_window_compared=3)
        assert rules.price_comparison_signal(f, as_of=AS_OF, c=C) == rules.NO_SIGNAL


class TestSoftSignals:
    def test_competitor_activity_fades_over_the_lookback(self):
        f = regular(last_competitor_on=days_before(45), competitor_events=2)
        signal = rules.competitor_signal(f, as_of=AS_OF, c=C)
        assert signal.strength == pytest.approx(0.75)
        assert signal.flags[0].evidence == {"last_on": "2026-09-16", "count": 2}

    def test_competitor_activity_at_the_end_of_the_lookback_no_longer_counts(self):
        f = regular(last_competitor_on=days_before(180), competitor_events=1)
        assert rules.competitor_signal(f, as_of=AS_OF, c=C) == rules.NO_SIGNAL

    def test_two_complaints_give_full_strength(self):
        f = regular(complaints=2, last_complaint_on=days_before(3))
        signal = rules.dissatisfaction_signal(f, as_of=AS_OF, c=C)
        assert signal.strength == 1.0
        assert signal.flags[0].code == "complaints"

    @pytest.mark.parametrize(("score", "flagged"), [(5, True), (6, False)])
    def test_low_satisfaction_edge(self, score, flagged):
        f = regular(satisfaction_score=score, satisfaction_on=days_before(10))
        assert ("low_satisfaction" in codes(f)) is flagged

    def test_an_old_satisfaction_score_does_not_count(self):
        f = regular(satisfaction_score=1, satisfaction_on=days_before(200))
        assert rules.dissatisfaction_signal(f, as_of=AS_OF, c=C) == rules.Signal(0.0)

    def test_the_latest_organisational_change_wins(self):
        f = regular(org_change_on=days_before(100), primary_contact_changed_on=days_before(20))
        signal = rules.org_change_signal(f, as_of=AS_OF, c=C)
        assert signal.flags[0].evidence == {"on": "2026-10-11", "source": "contact"}


class TestScore:
    def test_noisy_or_of_weighted_strengths(self):
        score = rules.combine({"a": 1.0, "b": 0.5}, {"a": 0.5, "b": 0.4})
        assert score == pytest.approx(100 * (1 - 0.5 * 0.8))

    def test_a_signal_without_weight_does_not_count(self):
        assert rules.combine({"a": 1.0}, {}) == 0.0

    @pytest.mark.parametrize(
        ("score", "level"),
        [("29.9", "low"), ("30.0", "medium"), ("59.9", "medium"), ("60.0", "high")],
    )
    def test_levels(self, score, level):
        assert rules.risk_level(Decimal(score), C) == level

    def test_score_has_one_decimal_and_stays_within_0_100(self):
        everything = regular(
            last_order_on=days_before(400),
            occasions_365d=0,
            last_competitor_on=AS_OF,
            complaints=3,
            last_complaint_on=AS_OF,
            org_change_on=AS_OF,
        )
        result = evaluate(everything, as_of=AS_OF, c=C)
        assert Decimal("90") < result.score <= Decimal("100")
        assert result.score == result.score.quantize(Decimal("0.1"))
        assert result.level == "high"

    def test_a_lapsing_customer_ranks_above_a_steady_one(self):
        steady = evaluate(regular(), as_of=AS_OF, c=C)
        lapsing = evaluate(regular(last_order_on=days_before(70)), as_of=AS_OF, c=C)
        assert lapsing.score > steady.score


class TestFastPaths:
    """The shortcuts taken for speed in the nightly run give the same answers as the long way."""

    @pytest.mark.parametrize("baseline", ["0", "-250"])  # credit notes can make a period negative
    def test_no_positive_baseline_no_revenue_signals(self, baseline):
        f = regular(
            recent_orders=1,
            recent_revenue=Decimal("10"),
            baseline_orders=3,
            baseline_revenue=Decimal(baseline),
        )
        assert rules.volume_drop_signal(f, as_of=AS_OF, c=C) == rules.NO_SIGNAL
        assert rules.order_size_signal(f, as_of=AS_OF, c=C) == rules.NO_SIGNAL

    def test_a_complaint_with_a_good_score_flags_only_the_complaint(self):
        f = regular(
            complaints=1,
            last_complaint_on=days_before(3),
            satisfaction_score=9,
            satisfaction_on=days_before(3),
        )
        signal = rules.dissatisfaction_signal(f, as_of=AS_OF, c=C)
        assert (signal.strength, [flag.code for flag in signal.flags]) == (0.5, ["complaints"])

    def test_no_change_recorded_is_no_signal(self):
        assert rules.org_change_signal(regular(), as_of=AS_OF, c=C) == rules.NO_SIGNAL

    @pytest.mark.parametrize(
        "overrides",
        [
            {},
            {"last_order_on": days_before(70), "complaints": 1, "last_complaint_on": AS_OF},
            {
                "last_order_on": days_before(400),
                "occasions_365d": 0,
                "org_change_on": AS_OF,
                "last_competitor_on": days_before(30),
                "satisfaction_score": 2,
                "satisfaction_on": days_before(5),
            },
            {
                "recent_orders": 1,
                "recent_revenue": Decimal("100"),
                "baseline_orders": 5,
                "baseline_revenue": Decimal("9000"),
                "price_window_orders": 6,
                "price_window_compared": 5,
            },
        ],
    )
    def test_the_score_is_the_noisy_or_of_the_strengths_rounded_half_up(self, overrides):
        result = evaluate(regular(**overrides), as_of=AS_OF, c=C)
        expected = Decimal(rules.combine(result.strengths, C.weights))
        assert result.score == expected.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")
        assert 0 < len(result.strengths) == len(rules.SIGNALS)
