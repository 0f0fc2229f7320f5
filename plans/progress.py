"""Where a goal stands as of a date: pure functions (no ORM, no clock, no settings).

An amount goal (revenue, gross profit) is measured against a straight line: by the as-of date a
goal on track has at least the share of its target that the share of its period gone by would
give (the period's days, both ends included, as-of date included). It is met once the amount
reaches the target, and missed when the period is over without that. A category goal is met
on the first order in the category from its start date on (a late first order still meets it,
and its date shows that it was late); before its date with no order it is pending, after it
missed. `plans/nightly.py` reads the amounts from the orders and calls these for every goal.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from plans.enums import GoalState

ONE_DECIMAL = Decimal("0.1")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Progress:
    """A goal's state with the numbers behind it (percentages to one decimal)."""

    state: GoalState
    share_pct: Decimal | None = None
    expected_share_pct: Decimal | None = None
    met_on: dt.date | None = None


def period_days(*, starts_on: dt.date, ends_on: dt.date) -> int:
    """Days in the period, both ends included (a leap year's is 366)."""
    return (ends_on - starts_on).days + 1


def days_gone(*, starts_on: dt.date, ends_on: dt.date, as_of: dt.date) -> int:
    """Days of the period up to and including `as_of`: 0 before it starts, all after it ends."""
    gone = (as_of - starts_on).days + 1
    return max(0, min(gone, period_days(starts_on=starts_on, ends_on=ends_on)))


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """`part` as a percentage of `whole`, to one decimal, rounded half up."""
    return (HUNDRED * part / whole).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def amount_progress(
    *, target: Decimal, starts_on: dt.date, ends_on: dt.date, amount: Decimal, as_of: dt.date
) -> Progress:
    """A revenue or gross-profit goal with `amount` summed from its period up to `as_of`.

    On track or behind compares the exact fractions (amount / target against days gone / days),
    so the rounding of the shown percentages never decides it."""
    if target <= 0 or ends_on < starts_on:
        raise ValueError("A goal needs a positive target and a period that ends after it starts.")
    days = period_days(starts_on=starts_on, ends_on=ends_on)
    gone = days_gone(starts_on=starts_on, ends_on=ends_on, as_of=as_of)
    share, expected = percent(amount, target), percent(Decimal(gone), Decimal(days))
    if amount >= target:
        state = GoalState.MET
    elif as_of < starts_on:
        state = GoalState.NOT_STARTED
    elif as_of >= ends_on:
        state = GoalState.MISSED
    elif amount * days >= target * gone:
        state = GoalState.ON_TRACK
    else:
        state = GoalState.BEHIND
    return Progress(state, share, expected)


def category_progress(
    *, starts_on: dt.date, ends_on: dt.date, first_order_on: dt.date | None, as_of: dt.date
) -> Progress:
    """A goal to start buying a category by `ends_on`; `first_order_on` is the customer's first
    order in it from `starts_on` up to `as_of` (None if there is none)."""
    if first_order_on is not None:
        return Progress(GoalState.MET, met_on=first_order_on)
    if as_of < starts_on:
        return Progress(GoalState.NOT_STARTED)
    if as_of >= ends_on:
        return Progress(GoalState.MISSED)
    return Progress(GoalState.PENDING)
