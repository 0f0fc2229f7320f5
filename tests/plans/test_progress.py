"""Goal progress on data where the answer is known: shares, the straight line, the period's
edges, leap years, and category goals. No database."""

import datetime as dt
from decimal import Decimal

import pytest

from plans.enums import GoalState
from plans.progress import (
    Progress,
    amount_progress,
    category_progress,
    days_gone,
    percent,
    period_days,
)

Y2027 = {"starts_on": dt.date(2027, 1, 1), "ends_on": dt.date(2027, 12, 31)}
Y2028 = {"starts_on": dt.date(2028, 1, 1), "ends_on": dt.date(2028, 12, 31)}  # a leap year
TARGET = Decimal(500_000)


def progress(amount: int | str, as_of: dt.date, period=None, target=TARGET) -> Progress:
    period = period or Y2027
    return amount_progress(target=target, amount=Decimal(amount), as_of=as_of, **period)


class TestThePeriod:
    def test_a_year_has_365_days_and_a_leap_year_366(self):
        assert period_days(**Y2027) == 365
        assert period_days(**Y2028) == 366

    def test_one_day_is_a_period_of_one_day(self):
        day = dt.date(2027, 3, 1)
        assert period_days(starts_on=day, ends_on=day) == 1

    @pytest.mark.parametrize(
        ("as_of", "gone"),
        [
            (dt.date(2026, 12, 31), 0),  # the day before: nothing gone
            (dt.date(2027, 1, 1), 1),  # the first day counts once it is over
            (dt.date(2027, 7, 2), 183),
            (dt.date(2027, 12, 31), 365),
            (dt.date(2028, 6, 1), 365),  # long after: the whole period, no more
        ],
    )
    def test_days_gone_count_the_as_of_day_and_stop_at_the_ends(self, as_of, gone):
        assert days_gone(as_of=as_of, **Y2027) == gone

    def test_the_29th_of_february_counts_in_a_leap_year(self):
        assert days_gone(as_of=dt.date(2028, 2, 29), **Y2028) == 60
        assert days_gone(as_of=dt.date(2028, 3, 1), **Y2028) == 61


class TestPercent:
    def test_to_one_decimal_rounded_half_up(self):
        assert percent(Decimal(1), Decimal(3)) == Decimal("33.3")
        assert percent(Decimal(2), Decimal(3)) == Decimal("66.7")
        assert percent(Decimal(1), Decimal(8)) == Decimal("12.5")
        assert percent(Decimal(1), Decimal(16)) == Decimal("6.3")  # 6.25 rounds up

    def test_beyond_the_whole_and_below_zero(self):
        assert percent(Decimal(3), Decimal(2)) == Decimal("150.0")
        assert percent(Decimal(-1), Decimal(4)) == Decimal("-25.0")


class TestAmountGoals:
    def test_a_little_over_half_the_target_at_mid_year_is_on_track(self):
        # 2 July 2027 is day 183 of 365: the line is at 500,000 * 183/365 = 250,684.93.
        result = progress(251_000, dt.date(2027, 7, 2))
        assert result == Progress(GoalState.ON_TRACK, Decimal("50.2"), Decimal("50.1"))
        assert progress(250_500, dt.date(2027, 7, 2)).state == GoalState.BEHIND

    def test_exactly_on_the_line_is_on_track_and_a_shekel_short_is_behind(self):
        # 73 of 365 days is exactly a fifth: the line is at 100,000.
        as_of = dt.date(2027, 3, 14)
        assert days_gone(as_of=as_of, **Y2027) == 73
        assert progress(100_000, as_of).state == GoalState.ON_TRACK
        assert progress("99999.99", as_of).state == GoalState.BEHIND

    def test_the_exact_fraction_decides_not_the_rounded_percentages(self):
        # Day 1 of 365: the line is at 1,369.86; both round to 0.3%, but 1,369 is short.
        result = progress(1_369, dt.date(2027, 1, 1))
        assert result.share_pct == result.expected_share_pct == Decimal("0.3")
        assert result.state == GoalState.BEHIND
        assert progress(1_370, dt.date(2027, 1, 1)).state == GoalState.ON_TRACK

    def test_a_leap_year_draws_its_line_over_366_days(self):
        # 29 Feb 2028 is day 60 of 366: the line is at 500,000 * 60/366 = 81,967.21.
        as_of = dt.date(2028, 2, 29)
        assert progress(81_968, as_of, Y2028).state == GoalState.ON_TRACK
        assert progress(81_967, as_of, Y2028).state == GoalState.BEHIND
        assert progress(81_967, as_of, Y2028).expected_share_pct == Decimal("16.4")

    def test_reaching_the_target_meets_it_before_the_period_ends(self):
        result = progress(500_000, dt.date(2027, 5, 1))
        assert result.state == GoalState.MET and result.share_pct == Decimal("100.0")
        assert progress(600_000, dt.date(2027, 5, 1)).share_pct == Decimal("120.0")

    def test_before_the_period_it_has_not_started(self):
        result = progress(0, dt.date(2026, 12, 31))
        assert result == Progress(GoalState.NOT_STARTED, Decimal("0.0"), Decimal("0.0"))

    def test_on_its_last_day_short_of_the_target_it_is_missed(self):
        result = progress(499_999, dt.date(2027, 12, 31))
        assert result.state == GoalState.MISSED and result.expected_share_pct == Decimal("100.0")
        # The day before, the line is at 498,630.14: still on track, the last day may come.
        assert progress(499_999, dt.date(2027, 12, 30)).state == GoalState.ON_TRACK

    def test_after_the_period_the_line_stays_at_the_whole_target(self):
        result = progress(400_000, dt.date(2028, 3, 1))
        assert result == Progress(GoalState.MISSED, Decimal("80.0"), Decimal("100.0"))
        assert progress(500_000, dt.date(2028, 3, 1)).state == GoalState.MET

    def test_returns_can_take_the_amount_below_zero(self):
        result = progress(-5_000, dt.date(2027, 2, 1))
        assert result.state == GoalState.BEHIND and result.share_pct == Decimal("-1.0")

    def test_a_one_day_period(self):
        day = {"starts_on": dt.date(2027, 6, 1), "ends_on": dt.date(2027, 6, 1)}
        assert progress(0, dt.date(2027, 5, 31), day).state == GoalState.NOT_STARTED
        assert progress(10, dt.date(2027, 6, 1), day, target=Decimal(20)).state == GoalState.MISSED
        assert progress(20, dt.date(2027, 6, 1), day, target=Decimal(20)).state == GoalState.MET

    @pytest.mark.parametrize(
        ("target", "period"),
        [
            (Decimal(0), Y2027),
            (Decimal(-1), Y2027),
            (TARGET, {"starts_on": dt.date(2027, 2, 1), "ends_on": dt.date(2027, 1, 31)}),
        ],
    )
    def test_a_goal_without_a_positive_target_or_a_period_is_refused(self, target, period):
        with pytest.raises(ValueError, match="positive target"):
            progress(0, dt.date(2027, 3, 1), period, target=target)


class TestCategoryGoals:
    BY = {"starts_on": dt.date(2027, 1, 1), "ends_on": dt.date(2027, 6, 30)}

    def check(self, first_order_on, as_of) -> Progress:
        return category_progress(first_order_on=first_order_on, as_of=as_of, **self.BY)

    def test_met_on_the_first_order(self):
        result = self.check(dt.date(2027, 3, 5), dt.date(2027, 4, 1))
        assert result == Progress(GoalState.MET, met_on=dt.date(2027, 3, 5))

    def test_a_late_first_order_still_meets_it_and_its_date_shows_it(self):
        result = self.check(dt.date(2027, 8, 1), dt.date(2027, 9, 1))
        assert result.state == GoalState.MET and result.met_on == dt.date(2027, 8, 1)

    def test_no_order_yet_before_the_date_is_pending(self):
        assert self.check(None, dt.date(2027, 6, 29)).state == GoalState.PENDING

    def test_no_order_by_the_date_is_missed(self):
        assert self.check(None, dt.date(2027, 6, 30)).state == GoalState.MISSED

    def test_before_it_counts_it_has_not_started(self):
        assert self.check(None, dt.date(2026, 12, 31)).state == GoalState.NOT_STARTED

    def test_it_has_no_shares(self):
        result = self.check(None, dt.date(2027, 3, 1))
        assert result.share_pct is None and result.expected_share_pct is None
