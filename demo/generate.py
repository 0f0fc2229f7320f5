"""Pure generators: one demo account's plan, and its orders as tuples (contacts and events are
in relationship.py).

No database, no clock, no global random: every draw comes from a random.Random seeded with the
run's seed and the account's number, so an account's data does not depend on how many accounts
are built, in what chunks, or in which order the tables are written.
"""

import datetime as dt
import functools
import math
import random
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from demo import catalog
from demo.logins import ACCOUNT_MANAGERS, TEAMMATE
from demo.patterns import (
    BUCKETS,
    Pattern,
    external_id_for,
    order_profile,
    pattern_for,
)

HISTORY_DAYS = 3 * 365
RETURN_SHARE = 0.015
CHANNELS: tuple[str, ...] = tuple(channel for channel, _ in catalog.CHANNEL_WEIGHTS)

OrderRow = tuple[str, int, str, str, str, str, bool, str]


@dataclass(frozen=True)
class History:
    """The span of generated history: HISTORY_DAYS days ending on `end` (inclusive)."""

    end: dt.date

    @property
    def last(self) -> int:
        return self.end.toordinal()

    @property
    def first(self) -> int:
        return self.last - HISTORY_DAYS + 1


@dataclass(frozen=True)
class AccountPlan:
    """Everything drawn for one account before its rows are generated."""

    number: int
    external_id: str
    pattern: Pattern
    name: str
    industry: str
    hebrew: bool
    domain: str
    owner: str
    team_member: str | None
    potential_cents: int | None
    order_count: int
    active_days: int  # shorter than the history for a customer who stopped ordering
    base_cents: int  # a typical order's revenue
    margin: float
    categories: tuple[str, ...]
    category_cum: tuple[float, ...]
    channel_cum: tuple[float, ...]
    orders_seed: int
    events_seed: int
    assessments_seed: int


@functools.cache
def iso(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


def money(cents: int) -> str:
    """Exact decimal text for an amount in cents (no float rounding)."""
    units, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{units}.{rest:02d}"


def plan_account(*, seed: int, number: int, orders_per_account: int) -> AccountPlan:
    rng = random.Random(f"kam-demo/{seed}/{number}")
    pattern = pattern_for(number)
    owner = ACCOUNT_MANAGERS[(number - 1) % len(ACCOUNT_MANAGERS)]
    hebrew = rng.random() < 0.5
    # The name's extra parts come from a random of their own, so that every other draw (and so
    # all other data) stays as it was before names grew them.
    naming = random.Random(f"kam-demo/{seed}/{number}/name")
    name, industry, domain = _company(rng, hebrew, naming)
    order_count = max(1, round(orders_per_account * rng.uniform(0.6, 1.4)))
    base_cents = max(10_000, int(rng.lognormvariate(math.log(600_000), 0.8)))
    active_days = HISTORY_DAYS - (rng.randint(120, 300) if pattern is Pattern.LAPSING else 0)
    categories = tuple(rng.sample(catalog.PRODUCT_CATEGORIES, _category_count(rng, pattern)))
    return AccountPlan(
        number=number,
        external_id=external_id_for(number),
        pattern=pattern,
        name=name,
        industry=industry,
        hebrew=hebrew,
        domain=domain,
        owner=owner,
        # One account in five also has the owner's team-mate (if any) on its account team.
        team_member=TEAMMATE.get(owner) if number % 5 == 2 else None,
        potential_cents=_potential(rng, pattern, base_cents * order_count // 3),
        order_count=order_count,
        active_days=active_days,
        base_cents=base_cents,
        margin=rng.uniform(0.2, 0.33),
        categories=categories,
        category_cum=tuple(accumulate(rng.uniform(0.2, 1.2) for _ in categories)),
        channel_cum=tuple(
            accumulate(w * rng.uniform(0.3, 1.7) for _, w in catalog.CHANNEL_WEIGHTS)
        ),
        orders_seed=rng.getrandbits(64),
        events_seed=rng.getrandbits(64),
        # Drawn last: the draws before it, and so all other data, stay as they were.
        assessments_seed=rng.getrandbits(64),
    )


def _company(rng: random.Random, hebrew: bool, naming: random.Random) -> tuple[str, str, str]:
    """(name, industry, e-mail domain). Stem, industry word, place and legal form: some 21,600
    names per language, so few repeat at demo sizes (the pages show the ERP id beside each)."""
    industry, en_word, he_word = rng.choice(catalog.INDUSTRIES)
    place_en, place_he = rng.choice(catalog.PLACES) if rng.random() < 0.5 else ("", "")
    if not place_en:
        place_en, place_he = naming.choice(catalog.PLACES)
    form_en, form_he = naming.choice(catalog.LEGAL_FORMS)
    if hebrew:
        stem, latin = rng.choice(catalog.HE_STEMS)
        name = " ".join((stem, he_word, place_he, form_he))
    else:
        stem = rng.choice(catalog.EN_STEMS)
        latin = stem.lower()
        name = " ".join((stem, en_word, place_en, form_en))
    return name, industry, f"{latin}-{en_word.lower()}.co.il"


def _category_count(rng: random.Random, pattern: Pattern) -> int:
    # Growing customers buy few categories yet: room to sell them more.
    return rng.randint(2, 3) if pattern is Pattern.GROWING else rng.randint(2, 6)


def _potential(rng: random.Random, pattern: Pattern, yearly_cents: int) -> int | None:
    """Annual purchasing potential, known for growing customers and some others."""
    if pattern is not Pattern.GROWING and rng.random() >= 0.35:
        return None
    thousands = round(yearly_cents * rng.uniform(1.3, 2.5) / 100_000)
    return max(1, thousands) * 100_000


def order_rows(plan: AccountPlan, history: History, account_id: int) -> Iterator[OrderRow]:
    """The account's orders in date order, shaped by its pattern; now and then a return
    (negative amounts) follows an order."""
    rng = random.Random(plan.orders_seed)
    profile = order_profile(plan.pattern, rng, plan.active_days)
    days = _order_days(rng, plan.order_count, profile.rate, history.first, plan.active_days)
    last_day = history.first + plan.active_days - 1
    p0, p1 = profile.price_share
    # Error diffusion rather than a coin per order: the share of price-compared orders
    # follows the pattern's ramp closely even over the few orders of one year.
    compared = rng.random()
    seq = 0
    for day, bucket in days:
        t = bucket / (BUCKETS - 1)
        noise = rng.lognormvariate(0, profile.size_sigma)
        cents = max(1_000, int(plan.base_cents * profile.size[bucket] * noise))
        margin = plan.margin + profile.margin_drift * t + rng.uniform(-0.03, 0.03)
        margin = min(0.4, max(0.15, margin))
        compared += (p0 + (p1 - p0) * t) * rng.uniform(0.5, 1.5)
        price_compared = compared >= 1
        if price_compared:
            compared -= 1
        channel = rng.choices(CHANNELS, cum_weights=plan.channel_cum)[0]
        category = rng.choices(plan.categories, cum_weights=plan.category_cum)[0]
        seq += 1
        ref = f"{plan.external_id}-{seq:04d}"
        yield (
            ref,
            account_id,
            iso(day),
            channel,
            money(cents),
            money(round(cents * margin)),
            price_compared,
            category,
        )
        if rng.random() < RETURN_SHARE:
            seq += 1
            back = -int(cents * rng.uniform(0.05, 0.4))
            on = iso(min(day + rng.randint(3, 30), last_day))
            ref = f"{plan.external_id}-{seq:04d}"
            yield (
                ref,
                account_id,
                on,
                channel,
                money(back),
                money(round(back * margin)),
                False,
                category,
            )


def _order_days(
    rng: random.Random, n: int, rate: tuple[float, ...], first: int, active_days: int
) -> list[tuple[int, int]]:
    """n (day ordinal, bucket) pairs, sorted, following `rate` over the active span.

    Systematic sampling (evenly spaced quantiles from one random offset) rather than n
    independent draws: the shape each pattern promises shows even with few orders.
    """
    cum = list(accumulate(rate))
    bucket_days = active_days / BUCKETS
    offset = rng.random()
    last = first + active_days - 1
    days = []
    for k in range(n):
        u = (k + offset) / n * cum[-1]
        bucket = min(bisect_right(cum, u), BUCKETS - 1)
        within = (u - (cum[bucket - 1] if bucket else 0.0)) / rate[bucket]
        day = first + int((bucket + within) * bucket_days + rng.uniform(-3, 3))
        days.append((min(max(day, first), last), bucket))
    days.sort()
    return days
