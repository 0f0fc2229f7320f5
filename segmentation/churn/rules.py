"""Churn-risk rules: one customer's features in, flags with evidence and a ranking score out.

Pure functions: no ORM, no clock, no settings. The as-of date and the configuration are
arguments, so every threshold edge can be pinned in a test without a database.

Each signal returns a strength from 0 to 1 (continuous, so the score ranks within a flag) and the
flags it raises (a flag is the explanation, raised at the configured threshold). The score combines
strengths as a "noisy OR": 100 * (1 - prod(1 - weight * strength)), so each weight is how far that
signal alone can raise the score, and further signals add with diminishing returns.
"""

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from segmentation.enums import FlagCode, RiskLevel, SignalName

PRICE_WINDOW_DAYS = 180  # "price comparison on 7 of the 10 orders in the last 180 days"
# Orders this many days apart or closer are one buying occasion (a burst), not a new rhythm.
SAME_OCCASION_DAYS = 3
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Features:
    """What the feature SQL extracts for one customer, from data on or before the as-of date."""

    account_id: int
    orders_total: int = 0
    last_order_on: dt.date | None = None
    orders_365d: int = 0
    revenue_12m: Decimal = Decimal(0)
    gross_profit_12m: Decimal = Decimal(0)
    # The 12 months before those: for growth on the dashboard and the segment rules.
    revenue_prev_12m: Decimal = Decimal(0)
    gross_profit_prev_12m: Decimal = Decimal(0)
    recent_orders: int = 0
    recent_revenue: Decimal = Decimal(0)
    baseline_orders: int = 0
    baseline_revenue: Decimal = Decimal(0)
    occasions_365d: int = 0
    gap_count: int = 0
    gap_sum: float = 0.0
    gap_sq_sum: float = 0.0
    recent_gap_count: int = 0
    recent_gap_sum: float = 0.0
    price_window_orders: int = 0
    price_window_compared: int = 0
    earlier_price_compared: int = 0
    last_competitor_on: dt.date | None = None
    competitor_events: int = 0
    complaints: int = 0
    last_complaint_on: dt.date | None = None
    satisfaction_score: int | None = None
    satisfaction_on: dt.date | None = None
    org_change_on: dt.date | None = None
    primary_contact_changed_on: dt.date | None = None
    # The relationship assessment: latest and previous submitted score (0-100) and their days.
    assessment_score: Decimal | None = None
    assessment_on: dt.date | None = None
    previous_assessment_score: Decimal | None = None
    previous_assessment_on: dt.date | None = None
    # For the repeat-buying model (repeat_buying.py): the day of the first order, and the first
    # day of the last buying occasion (the occasions after the first are `gap_count`).
    first_order_on: dt.date | None = None
    last_occasion_on: dt.date | None = None


@dataclass(frozen=True)
class RiskConfig:
    """Thresholds (when a flag is raised) and weights (how much a signal moves the score)."""

    recent_days: int = 90
    baseline_days: int = 270
    volume_drop_pct: int = 30
    order_size_drop_pct: int = 25
    overdue_factor: float = 1.5
    gap_growth_factor: float = 1.5
    price_compare_pct: int = 50
    event_lookback_days: int = 180
    low_satisfaction_max: int = 5
    new_customer_gap_days: int = 60
    poor_relationship_max: int = 40
    relationship_drop_points: int = 15
    # Levels are thresholds on the probability of no order in the horizon, in percent: with the
    # hand weights the probability is score / 100, so they are the score's thresholds as well.
    medium_level: int = 30
    high_level: int = 60
    # The learned probability (learning.py): "no order in the next `horizon_days` days", learned
    # nightly from the customers of `horizon_days` ago; it scores once `minimum_lost` of them
    # were lost (and it is better), unless the admin pins a scorer (enums.ScorerPin).
    horizon_days: int = 90
    minimum_lost: int = 200
    scorer_pin: str = "auto"
    weights: dict[str, float] = field(
        default_factory=lambda: {
            # Order-history weights chosen by backtest (docs/churn-risk.md); the last three
            # are judged until real outcomes exist to tune them on.
            "overdue": 0.95,  # searched 1.0; 0.95 keeps lapsed customers ordered, same AUC
            "few_orders": 0.70,
            "volume_drop": 0.10,
            "order_size": 0.30,
            "gap_growth": 0.20,
            "price_comparison": 0.10,  # searched 0.0; kept at 0.1 (docs/churn-risk.md)
            "competitor": 0.30,
            "dissatisfaction": 0.30,
            "org_change": 0.20,
            # Judged, not tuned (too few assessments to backtest): as much as complaints or a
            # low satisfaction score, the dissatisfaction it belongs with (docs/churn-risk.md).
            "assessment": 0.30,
        }
    )


def config_to_json(c: RiskConfig) -> dict[str, Any]:
    """What a run records as the settings it used (`NightlyRun.settings_used`)."""
    return asdict(c)


def config_from_json(data: dict[str, Any]) -> RiskConfig:
    return RiskConfig(**data)


# Named tuples rather than dataclasses: the nightly run builds a few of these per customer.
class Flag(NamedTuple):
    code: str
    evidence: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "evidence": self.evidence}


class Signal(NamedTuple):
    strength: float = 0.0
    flags: tuple[Flag, ...] = ()


NO_SIGNAL = Signal()


class RiskResult(NamedTuple):
    score: Decimal
    level: str
    flags: tuple[Flag, ...]
    strengths: dict[str, float]


def _clip(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def _days(later: dt.date, earlier: dt.date) -> int:
    return (later - earlier).days


def usual_gap_days(f: Features, c: RiskConfig) -> float:
    """The customer's mean gap between orders, shrunk toward the new-customer rhythm.

    One pseudo-gap of `new_customer_gap_days` keeps a customer with one or two orders from
    looking either very regular or very overdue on almost no evidence.
    """
    return (f.gap_sum + c.new_customer_gap_days) / (f.gap_count + 1)


def gap_spread_days(f: Features) -> float:
    """Standard deviation of the gaps: large for bursty buyers, whose silences are normal."""
    n = f.gap_count
    if n < 2:
        return 0.0
    variance = (f.gap_sq_sum - f.gap_sum * f.gap_sum / n) / (n - 1)
    return math.sqrt(max(variance, 0.0))


def overdue_signal(f: Features, *, as_of: dt.date, c: RiskConfig) -> Signal:
    """Silence measured against the customer's own rhythm: usual gap plus its usual spread."""
    if f.last_order_on is None:
        return NO_SIGNAL
    silence = (as_of - f.last_order_on).days
    usual = usual_gap_days(f, c)
    expected = usual + gap_spread_days(f)
    if expected < 1.0:
        expected = 1.0
    ratio = silence / expected
    strength = _clip((ratio - 1.0) / 2.0)
    if ratio < c.overdue_factor:
        return Signal(strength)
    if f.gap_count == 0:
        evidence = {"days_since_last_order": silence, "orders": f.orders_total}
        flag = Flag(FlagCode.SINGLE_ORDER, evidence)
    else:
        # Show the rhythm the customer really has; the shrunk value is only a guard for the rule.
        observed = f.gap_sum / f.gap_count
        evidence = {"days_since_last_order": silence, "usual_gap_days": round(observed)}
        flag = Flag(FlagCode.OVERDUE, evidence)
    return Signal(strength, (flag,))


def few_orders_signal(f: Features, *, as_of: dt.date, c: RiskConfig) -> Signal:
    """Few orders in a year: the chance of a quiet recent period even for a loyal customer."""
    if f.orders_total == 0:
        return NO_SIGNAL
    expected_orders = f.occasions_365d * c.recent_days / 365
    strength = math.exp(-expected_orders)
    if f.orders_365d > 2:
        return Signal(strength)
    return Signal(strength, (Flag(FlagCode.FEW_ORDERS, {"orders_12m": f.orders_365d}),))


def volume_drop_signal(f: Features, *, as_of: dt.date, c: RiskConfig) -> Signal:
    """Revenue in the recent period against the customer's average period before it."""
    # Compared as a float: the same sign as the Decimal, and cheaper than a Decimal comparison.
    baseline_revenue = float(f.baseline_revenue)
    if baseline_revenue <= 0.0:
        return NO_SIGNAL
    baseline = baseline_revenue * c.recent_days / c.baseline_days
    drop = 1.0 - float(f.recent_revenue) / baseline
    strength = _clip(drop)
    if drop * 100 < c.volume_drop_pct:
        return Signal(strength)
    evidence = {
        "drop_pct": round(drop * 100),
        "recent_days": c.recent_days,
        "baseline_days": c.baseline_days,
        "recent_revenue": round(float(f.recent_revenue)),
        "baseline_revenue": round(baseline),
    }
    return Signal(strength, (Flag(FlagCode.VOLUME_DROP, evidence),))


def order_size_signal(f: Features, *, as_of: dt.date, c: RiskConfig) -> Signal:
    """Average order value in the recent period against the period before."""
    if f.recent_orders < 1 or f.baseline_orders < 2:
        return NO_SIGNAL
    baseline_revenue = float(f.baseline_revenue)
    if baseline_revenue <= 0.0:
        return NO_SIGNAL
    recent_avg = float(f.recent_revenue) / f.recent_orders
    baseline_avg = baseline_revenue / f.baseline_orders
    shrink = 1.0 - recent_avg / baseline_avg
    strength = _clip(shrink)
    if shrink * 100 < c.order_size_drop_pct:
        return Signal(strength)
    evidence = {
        "shrink_pct": round(shrink * 100),
        "recent_avg": round(recent_avg),
        "baseline_avg": round(baseline_avg),
    }
    return Signal(strength, (Flag(FlagCode.ORDER_SIZE, evidence),))


def gap_growth_signal(f: Features, *, as_of: dt.date, c: RiskConfig) -> Signal:
    """Gaps between orders in the last 12 months against the gaps before them."""
    earlier_count = f.gap_count - f.recent_gap_count
    if f.recent_gap_count < 2 or earlier_count < 2:
        return NO_SIGNAL
    recent = f.recent_gap_sum / f.recent_gap_count
    earlier = max((f.gap_sum - f.recent_gap_sum) / earlier_count, 1.0)
    ratio = recent / earlier
    strength = _clip((ratio - 1.0) / 2.0)
    if ratio < c.gap_growth_factor:
        return Signal(strength)
    evidence = {"recent_gap_days": round(recent), "earlier_gap_days": round(earlier)}
    return Signal(strength, (Flag(FlagCode.GAP_GROWTH, evidence),))


def price_comparison_signal(f: Features, *, as_of: dt.date, c: RiskConfig) -> Signal:
    """Price comparison on a share of the recent orders; stronger when the share is growing."""
    if f.price_window_orders < 4:
        return NO_SIGNAL
    share = f.price_window_compared / f.price_window_orders
    earlier_orders = f.orders_total - f.price_window_orders
    earlier = f.earlier_price_compared / earlier_orders if earlier_orders else None
    growing = earlier is None or share > earlier
    strength = share if growing else share / 2
    if share * 100 < c.price_compare_pct:
        return Signal(strength)
    evidence: dict[str, Any] = {
        "compared": f.price_window_compared,
        "orders": f.price_window_orders,
        "days": PRICE_WINDOW_DAYS,
    }
    if earlier is not None:
        evidence["earlier_pct"] = round(earlier * 100)
    return Signal(strength, (Flag(FlagCode.PRICE_COMPARISON, evidence),))


def _recent(on: dt.date | None, *, as_of: dt.date, c: RiskConfig) -> float:
    """1 for a record made on the as-of date, fading to 0 at the end of the lookback."""
    if on is None:
        return 0.0
    return _clip(1.0 - _days(as_of, on) / c.event_lookback_days)


def competitor_signal(f: Features, *, as_of: dt.date, c: RiskConfig) -> Signal:
    strength = _recent(f.last_competitor_on, as_of=as_of, c=c)
    if strength == 0.0 or f.last_competitor_on is None:
        return NO_SIGNAL
    evidence = {"last_on": f.last_competitor_on.isoformat(), "count": f.competitor_events}
    return Signal(strength, (Flag(FlagCode.COMPETITOR, evidence),))


def dissatisfaction_signal(f: Features, *, as_of: dt.date, c: RiskConfig) -> Signal:
    """Complaints in the lookback, or a low latest satisfaction score (assessments: below)."""
    score = f.satisfaction_score
    if not f.complaints and (score is None or score > c.low_satisfaction_max):
        return NO_SIGNAL  # most customers: decided without building anything
    flags: list[Flag] = []
    strength = 0.0
    if f.complaints and f.last_complaint_on is not None:
        strength = min(1.0, f.complaints / 2)
        evidence = {"count": f.complaints, "last_on": f.last_complaint_on.isoformat()}
        flags.append(
            Flag(FlagCode.COMPLAINTS, {**evidence, "lookback_days": c.event_lookback_days})
        )
    on = f.satisfaction_on
    low = c.low_satisfaction_max
    if score is not None and on is not None and score <= low and _recent(on, as_of=as_of, c=c):
        strength = max(strength, (low + 1 - score) / (low + 1))
        flags.append(Flag(FlagCode.LOW_SATISFACTION, {"score": score, "on": on.isoformat()}))
    return Signal(strength, tuple(flags))


def org_change_signal(f: Features, *, as_of: dt.date, c: RiskConfig) -> Signal:
    """A recorded organisational change or a replaced primary contact."""
    if f.org_change_on is None and f.primary_contact_changed_on is None:
        return NO_SIGNAL
    candidates = [
        (on, source)
        for on, source in ((f.org_change_on, "event"), (f.primary_contact_changed_on, "contact"))
        if on is not None and _recent(on, as_of=as_of, c=c) > 0
    ]
    if not candidates:
        return NO_SIGNAL
    on, source = max(candidates)
    flag = Flag(FlagCode.ORG_CHANGE, {"on": on.isoformat(), "source": source})
    return Signal(_recent(on, as_of=as_of, c=c), (flag,))


def _score_json(score: Decimal) -> int | float:
    """A score as evidence: 35 rather than 35.0, 35.5 as it is (JSON has no Decimal)."""
    return int(score) if score == score.to_integral_value() else float(score)


def assessment_signal(f: Features, *, as_of: dt.date, c: RiskConfig) -> Signal:
    """A poor latest relationship score, or one that fell since the assessment before.

    Strength is 0.5 at a threshold and rises to 1 at a score of 0 (or a fall of twice the
    threshold), so the flag always counts and a worse case counts more. An assessment is the
    account manager's standing judgement until the next one, so it does not fade with age.
    """
    score, on = f.assessment_score, f.assessment_on
    if score is None or on is None:
        return NO_SIGNAL
    flags: list[Flag] = []
    strength = 0.0
    latest = {"score": _score_json(score), "on": on.isoformat()}
    poor_max = c.poor_relationship_max
    if score <= poor_max:
        strength = 1.0 - float(score) / (2 * poor_max) if poor_max > 0 else 1.0
        flags.append(Flag(FlagCode.POOR_RELATIONSHIP, {**latest, "max": poor_max}))
    previous, previous_on = f.previous_assessment_score, f.previous_assessment_on
    if previous is not None and previous_on is not None:
        drop = float(previous - score)
        if drop >= c.relationship_drop_points:
            strength = max(strength, _clip(drop / (2 * c.relationship_drop_points)))
            evidence = {
                **latest,
                "previous_score": _score_json(previous),
                "previous_on": previous_on.isoformat(),
                "drop": _score_json(previous - score),
            }
            flags.append(Flag(FlagCode.RELATIONSHIP_FALLING, evidence))
    return Signal(strength, tuple(flags))


SignalFn = Callable[..., Signal]

# name -> rule. A new signal is one function, one weight, and the feature columns it reads.
SIGNALS: dict[str, SignalFn] = {
    SignalName.OVERDUE: overdue_signal,
    SignalName.FEW_ORDERS: few_orders_signal,
    SignalName.VOLUME_DROP: volume_drop_signal,
    SignalName.ORDER_SIZE: order_size_signal,
    SignalName.GAP_GROWTH: gap_growth_signal,
    SignalName.PRICE_COMPARISON: price_comparison_signal,
    SignalName.COMPETITOR: competitor_signal,
    SignalName.DISSATISFACTION: dissatisfaction_signal,
    SignalName.ORG_CHANGE: org_change_signal,
    SignalName.ASSESSMENT: assessment_signal,
}


def combine(strengths: dict[str, float], weights: dict[str, float]) -> float:
    """Noisy OR of weighted strengths, 0 to 100."""
    keep = 1.0
    for name, strength in strengths.items():
        weighted = weights.get(name, 0.0) * strength
        keep *= 1.0 - (weighted if weighted < 1.0 else 1.0)
    return 100.0 * (1.0 - keep)


def risk_level(score: Decimal, c: RiskConfig) -> str:
    if score >= c.high_level:
        return RiskLevel.HIGH
    if score >= c.medium_level:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def probability_level(probability: Decimal, c: RiskConfig) -> str:
    """The level of a probability (0 to 1): the thresholds are percentages of it."""
    return risk_level(probability * 100, c)


def evaluate(f: Features, *, as_of: dt.date, c: RiskConfig) -> RiskResult:
    """All signals for one customer: the score, its level and every flag raised."""
    # `combine` inlined (same terms, same order, so the same float): this runs once per customer
    # in the nightly run, where a call and a second pass over the strengths show up.
    weights = c.weights
    strengths: dict[str, float] = {}
    flags: list[Flag] = []
    keep = 1.0
    for name, rule in SIGNALS.items():
        strength, raised = rule(f, as_of=as_of, c=c)
        strengths[name] = strength
        if raised:
            flags += raised
        weighted = weights.get(name, 0.0) * strength
        keep *= 1.0 - (weighted if weighted < 1.0 else 1.0)
    score = Decimal(100.0 * (1.0 - keep)).quantize(TENTH, ROUND_HALF_UP)
    return RiskResult(score, risk_level(score, c), tuple(flags), strengths)
