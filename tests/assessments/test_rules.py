import datetime as dt
from decimal import Decimal

import pytest

from assessments.rules import Cadence, due_date, is_overdue, perception_gap

D = Decimal
JOINED = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("segment", "days"),
    [("strategic", 90), ("defend", 60), ("grow", 120), (None, 90), ("unknown", 90)],
)
def test_cadence_by_segment_with_defaults(segment, days):
    assert Cadence().days_for(segment) == days


def test_due_one_cadence_after_the_last_submitted():
    last = dt.date(2026, 3, 1)
    cadence = Cadence(strategic=90, defend=60, grow=120, default=30)
    assert due_date(
        last_submitted_on=last, joined_on=JOINED, segment="defend", cadence=cadence
    ) == (dt.date(2026, 4, 30))
    assert due_date(last_submitted_on=last, joined_on=JOINED, segment=None, cadence=cadence) == (
        dt.date(2026, 3, 31)
    )


def test_never_assessed_is_due_from_joining():
    assert due_date(
        last_submitted_on=None, joined_on=JOINED, segment="grow", cadence=Cadence()
    ) == (JOINED)


def test_overdue_only_after_the_due_day():
    due = dt.date(2026, 5, 1)
    assert not is_overdue(due_on=due, today=dt.date(2026, 4, 30))
    assert not is_overdue(due_on=due, today=due)
    assert is_overdue(due_on=due, today=dt.date(2026, 5, 2))


@pytest.mark.parametrize(
    ("answer", "growth", "claimed"),
    [
        (5, D("-10.1"), "grow"),  # says grow, fell by more than the margin
        (4, D("-30"), "grow"),
        (1, D("10.1"), "fall"),  # says fall, rose by more than the margin
        (2, D("40"), "fall"),
    ],
)
def test_gap_when_answer_and_orders_disagree_beyond_the_margin(answer, growth, claimed):
    gap = perception_gap(q4_answer=answer, yoy_growth_pct=growth, margin_pct=D(10))
    assert gap["claimed"] == claimed
    assert gap["answer"] == answer and gap["yoy_growth_pct"] == str(growth)
    assert gap["margin_pct"] == "10"


@pytest.mark.parametrize(
    ("answer", "growth"),
    [
        (5, D("-10")),  # exactly at the margin: no gap
        (5, D("20")),  # agrees
        (3, D("-50")),  # "flat" never disagrees
        (3, D("50")),
        (1, D("-40")),  # agrees
        (2, D("10")),
        (None, D("-50")),  # unanswered
        (5, None),  # no previous year to compare
    ],
)
def test_no_gap(answer, growth):
    assert perception_gap(q4_answer=answer, yoy_growth_pct=growth, margin_pct=D(10)) is None
