"""The customer behaviours the demo portrays, and the order-history shape of each.

Pure: a pattern is a fixed function of the account's number, so that `pattern_of(external_id)`
answers without the database, and the shape functions take their randomness as an argument.
"""

import enum
import random
from dataclasses import dataclass

EXTERNAL_ID_PREFIX = "DEMO-"
BUCKETS = 36  # the order history is shaped month by month (about three years)


class Pattern(enum.StrEnum):
    STEADY = "steady"
    GROWING = "growing"
    DECLINING = "declining"
    LAPSING = "lapsing"
    IRREGULAR = "irregular"
    PRICE_SENSITIVE = "price_sensitive"
    COMPETITOR_THREATENED = "competitor_threatened"
    REORGANISED = "reorganised"


P = Pattern
# One cycle of 20 accounts: the first eight show every pattern once (so that even
# `--accounts 8` has them all); steady customers are the most common, as in life.
CYCLE: tuple[Pattern, ...] = (
    P.STEADY, P.GROWING, P.DECLINING, P.LAPSING, P.IRREGULAR, P.PRICE_SENSITIVE,
    P.COMPETITOR_THREATENED, P.REORGANISED, P.STEADY, P.GROWING, P.STEADY, P.DECLINING,
    P.STEADY, P.LAPSING, P.GROWING, P.STEADY, P.IRREGULAR, P.PRICE_SENSITIVE, P.STEADY,
    P.COMPETITOR_THREATENED,
)  # fmt: skip


@dataclass(frozen=True)
class Mood:
    """Satisfaction scores: drawn from `before` until `onset`, from `after` once `settled`
    (fractions of the history), sliding from one range to the other in between."""

    before: tuple[int, int]
    after: tuple[int, int]
    onset: float = 0.0
    settled: float = 1.0

    def score_range(self, t: float) -> tuple[int, int]:
        share = min(1.0, max(0.0, (t - self.onset) / (self.settled - self.onset)))
        (a_lo, a_hi), (b_lo, b_hi) = self.before, self.after
        return round(a_lo + (b_lo - a_lo) * share), round(a_hi + (b_hi - a_hi) * share)


# The unhappy patterns have settled low before the last survey (one every ~6 months).
MOODS: dict[Pattern, Mood] = {
    P.STEADY: Mood((8, 10), (8, 10)),
    P.GROWING: Mood((7, 9), (8, 10)),
    P.DECLINING: Mood((7, 9), (2, 4), 0.35, 0.8),
    P.LAPSING: Mood((6, 8), (2, 4), 0.5, 0.75),
    P.IRREGULAR: Mood((5, 9), (5, 9)),
    P.PRICE_SENSITIVE: Mood((7, 8), (4, 6), 0.3, 0.8),
    P.COMPETITOR_THREATENED: Mood((7, 9), (3, 5), 0.6, 0.8),
    P.REORGANISED: Mood((7, 9), (5, 7), 0.8, 0.95),
}


def external_id_for(number: int) -> str:
    """The ERP id of the `number`-th demo account (1-based)."""
    return f"{EXTERNAL_ID_PREFIX}{number:06d}"


def pattern_for(number: int) -> Pattern:
    return CYCLE[(number - 1) % len(CYCLE)]


def pattern_of(external_id: str) -> Pattern | None:
    """Which pattern the demo account `external_id` was generated with; None if not a demo id."""
    digits = external_id.removeprefix(EXTERNAL_ID_PREFIX)
    if digits == external_id or not digits.isdigit() or int(digits) < 1:
        return None
    return pattern_for(int(digits))


@dataclass(frozen=True)
class OrderProfile:
    """How one customer's orders spread over its history."""

    active_days: int  # orders fall in the first `active_days` days of the history
    rate: tuple[float, ...]  # relative number of orders per bucket of the active span
    size: tuple[float, ...]  # relative order size per bucket
    size_sigma: float  # order-to-order noise (log scale)
    price_share: tuple[float, float]  # share of price-compared orders, first and last bucket
    margin_drift: float  # change of gross margin from the first to the last bucket


def _ts() -> list[float]:
    """Each bucket's midpoint as a fraction of the span."""
    return [(b + 0.5) / BUCKETS for b in range(BUCKETS)]


def _fall(t: float, start: float, floor: float) -> float:
    """1 until `start`, then a straight line down to `floor` at the end."""
    return 1.0 if t < start else 1.0 - (1.0 - floor) * (t - start) / (1.0 - start)


def order_profile(pattern: Pattern, rng: random.Random, history_days: int) -> OrderProfile:
    """The shape of `pattern`'s order history, with this customer's own variation."""
    flat = tuple(1.0 for _ in range(BUCKETS))
    ts = _ts()
    if pattern is P.GROWING:
        rate = tuple(0.5 + t for t in ts)
        return OrderProfile(
            history_days, rate, tuple(0.6 + 0.8 * t for t in ts), 0.25, (0.1, 0.1), 0
        )
    if pattern is P.DECLINING:
        start = rng.uniform(0.3, 0.45)
        rate = tuple(_fall(t, start, 0.25) for t in ts)
        size = tuple(_fall(t, start, 0.5) for t in ts)
        return OrderProfile(history_days, rate, size, 0.2, (0.1, 0.3), -0.03)
    if pattern is P.LAPSING:
        # The last order comes four to ten months before the end: well past any usual gap.
        active = history_days - rng.randint(120, 300)
        return OrderProfile(
            active, flat, tuple(_fall(t, 0.8, 0.7) for t in ts), 0.25, (0.1, 0.3), 0
        )
    if pattern is P.IRREGULAR:
        rate = tuple(rng.uniform(1.5, 4.0) if rng.random() < 0.35 else 0.1 for _ in ts)
        return OrderProfile(history_days, rate, flat, 0.6, (0.15, 0.15), 0)
    if pattern is P.PRICE_SENSITIVE:
        size = tuple(1.0 - 0.15 * t for t in ts)
        return OrderProfile(history_days, flat, size, 0.25, (0.05, 0.9), -0.07)
    if pattern is P.COMPETITOR_THREATENED:
        start = 1.0 - rng.uniform(0.25, 0.35)  # the last nine to twelve months
        rate = tuple(_fall(t, start, 0.45) for t in ts)
        size = tuple(_fall(t, start, 0.75) for t in ts)
        return OrderProfile(history_days, rate, size, 0.25, (0.1, 0.4), -0.02)
    # Steady, and reorganised (the change is in the contacts, not yet in the orders).
    return OrderProfile(history_days, flat, flat, 0.2, (0.08, 0.08), 0)
