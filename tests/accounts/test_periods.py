"""The one definition of the periods the portal compares, and of growth between them."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.periods import Window, growth_pct, years_before


def test_years_before_keeps_the_calendar_day():
    assert years_before(dt.date(2026, 6, 30), 1) == dt.date(2025, 6, 30)
    assert years_before(dt.date(2026, 6, 15), 5) == dt.date(2021, 6, 15)


def test_years_before_moves_29_february_to_the_28th():
    assert years_before(dt.date(2024, 2, 29), 1) == dt.date(2023, 2, 28)


def test_the_last_12_months_start_on_the_same_calendar_day_in_the_orm_and_the_sql():
    """The case the review found: as of 2028-03-10 a 365-day window would start on
    2027-03-11 (2028 is a leap year), the calendar one after 2027-03-10. Both now agree."""
    window = Window(as_of=dt.date(2028, 3, 10))
    params = window.sql_params()
    assert params["year_start"] == window.start == dt.date(2027, 3, 10)
    assert params["prev_start"] == window.previous_start == dt.date(2026, 3, 10)
    assert params["year_days"] == 366
    assert Window(as_of=dt.date(2027, 3, 10)).days == 365


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        ("150", "100", "50.0"),
        ("80", "100", "-20.0"),
        ("0", "100", "-100.0"),
        ("250", "300", "-16.7"),
        ("100.05", "100", "0.1"),  # half up, not to even
        ("5", "0", None),
        ("5", "-10", None),
        ("-20", "10", "-300.0"),
    ],
)
def test_growth_pct(current, previous, expected):
    result = growth_pct(Decimal(current), Decimal(previous))
    assert result == (None if expected is None else Decimal(expected))
