"""What a programme place is worth, in money: the value each account manager's candidates are
ranked by when the admin puts value first.

Pure functions: no ORM, no clock, no settings. Every value is gross profit, so the segments
compare:
- strategic: the gross profit of the last 12 months (what the core business brings);
- defend: the expected loss, churn probability x gross profit 12 months (what the programme
  protects);
- grow: gross margin x the revenue it could add (what the programme creates): its recorded
  purchasing potential minus its revenue 12 months where a potential is recorded; otherwise
  the revenue of the categories its industry peers buy and it does not, each valued at the
  median revenue of the peers that buy it. The margin is the customer's own (12 months), or
  the portfolio's for a customer without revenue.

An account that matched several segments counts its largest value; negative values count as 0.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from segmentation.enums import Segment
from segmentation.segments.rules import Measures

CENT = Decimal("0.01")
ZERO = Decimal(0).quantize(CENT)


def _money(value: Decimal) -> Decimal:
    return max(value, Decimal(0)).quantize(CENT, ROUND_HALF_UP)


def gross_margin(m: Measures) -> Decimal:
    """The customer's gross margin (0 to 1), else the portfolio's; 0 when neither is known."""
    if m.revenue_12m > 0:
        margin = m.gross_profit_12m / m.revenue_12m
    else:
        margin = m.portfolio_margin or Decimal(0)
    return min(max(margin, Decimal(0)), Decimal(1))


def room_to_grow(m: Measures) -> Decimal:
    """The revenue it could add: to its recorded potential, else its peers' missing categories."""
    if m.purchasing_potential is not None:
        return max(m.purchasing_potential - m.revenue_12m, Decimal(0))
    return max(m.missing_revenue, Decimal(0))


def segment_value(segment: str, m: Measures) -> Decimal:
    if segment == Segment.STRATEGIC:
        return _money(m.gross_profit_12m)
    if segment == Segment.DEFEND:
        return _money(m.churn_expected_loss)
    if segment == Segment.GROW:
        return _money(gross_margin(m) * room_to_grow(m))
    raise ValueError(f"No value for segment {segment!r}.")


def programme_value(m: Measures, segments: Iterable[str]) -> tuple[Decimal, str] | None:
    """The largest value among `segments` and the segment it is of (the first in the order of
    Segment on a tie); None when there is no segment."""
    best: tuple[Decimal, str] | None = None
    for segment in Segment.values:
        if segment in segments:
            value = segment_value(segment, m)
            if best is None or value > best[0]:
                best = (value, segment)
    return best
