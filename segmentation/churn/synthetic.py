"""Order histories with a known fate, for backtests beyond the demo generator's patterns.

Two kinds of buyers: "steady" ones whose gaps vary little, and "bursty" ones who buy in clusters
of a few orders at irregular, heavy-tailed intervals, so that one customer's "usual gap" says
little about when the next order comes. About a quarter of the customers stop buying at a random
date; some fade first (fewer, smaller orders, more price comparison), others stop abruptly, and
the soft signals (competitor activity, complaints) are noisy: loyal customers get some too.

Deterministic for a given seed. Used by `manage.py seed_churn_histories` and the tests.
"""

import datetime as dt
import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class History:
    external_id: str
    kind: str  # "steady" or "bursty"
    churn_on: dt.date | None
    orders: list[tuple[dt.date, Decimal, Decimal, bool]] = field(default_factory=list)
    events: list[tuple[str, dt.date, int | None]] = field(default_factory=list)


_SYNTHETIC_ID = re.compile(r"H\d+-\d{6}")


def is_synthetic(external_id: str) -> bool:
    """Whether `external_id` names a history made here (`seed_churn_histories`)."""
    return _SYNTHETIC_ID.fullmatch(external_id) is not None


def _money(x: float) -> Decimal:
    return Decimal(f"{max(x, 1.0):.2f}")


def _next_gap(rng: random.Random, kind: str, mean_gap: float) -> float:
    if kind == "steady":
        return max(1.0, rng.gauss(mean_gap, mean_gap * 0.25))
    return rng.lognormvariate(math.log(mean_gap), 0.8)  # heavy-tailed silences between bursts


def _burst_size(rng: random.Random, kind: str) -> int:
    return 1 if kind == "steady" else rng.choice((1, 2, 3, 4, 6))


def _fade(day: dt.date, churn_on: dt.date | None, fades: bool) -> float:
    """1 while healthy; falls toward 0.3 over the 180 days before a fading customer's churn."""
    if churn_on is None or not fades:
        return 1.0
    days_left = (churn_on - day).days
    return 1.0 if days_left >= 180 else 0.3 + 0.7 * days_left / 180


def _orders(h: History, rng: random.Random, start: dt.date, end: dt.date) -> None:
    mean_gap = rng.uniform(7, 45) if h.kind == "steady" else rng.uniform(30, 120)
    size = rng.lognormvariate(math.log(3000), 0.7)
    price_base = rng.uniform(0, 0.3)
    fades = rng.random() < 0.6
    stop = min(end, h.churn_on) if h.churn_on else end
    day = start + dt.timedelta(days=rng.uniform(0, mean_gap))
    while day < stop:
        fade = _fade(day, h.churn_on, fades)
        for i in range(_burst_size(rng, h.kind)):
            on = day + dt.timedelta(days=i * rng.randint(0, 2))
            if on >= stop:
                break
            revenue = size * fade * rng.uniform(0.6, 1.4)
            compared = rng.random() < price_base + (1 - fade) * 0.8
            h.orders.append((on, _money(revenue), _money(revenue * 0.25), compared))
        day += dt.timedelta(days=_next_gap(rng, h.kind, mean_gap) / max(fade, 0.3))


def _events(h: History, rng: random.Random, start: dt.date, end: dt.date) -> None:
    span = (end - start).days
    for _ in range(rng.choice((0, 0, 0, 1))):  # background noise on every customer
        kind = rng.choice(("competitor", "complaint"))
        h.events.append((kind, start + dt.timedelta(days=rng.randrange(span)), None))
    if h.churn_on and rng.random() < 0.5:
        kind = rng.choice(("competitor", "complaint", "satisfaction", "org_change"))
        on = h.churn_on - dt.timedelta(days=rng.randint(10, 150))
        h.events.append((kind, on, rng.randint(1, 5) if kind == "satisfaction" else None))


def histories(
    *, count: int, seed: int, start: dt.date, end: dt.date, bursty_share: float = 0.5
) -> Iterator[History]:
    """`count` customers buying between `start` and `end`; about 25% churn after the first year."""
    rng = random.Random(seed)
    churn_window = (end - start).days - 365
    for n in range(count):
        kind = "bursty" if rng.random() < bursty_share else "steady"
        churn_on = None
        if rng.random() < 0.25:
            churn_on = start + dt.timedelta(days=365 + rng.randrange(churn_window))
        h = History(external_id=f"H{seed}-{n:06d}", kind=kind, churn_on=churn_on)
        _orders(h, rng, start, end)
        _events(h, rng, start, end)
        yield h
