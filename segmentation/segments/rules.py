"""Segment rules: one customer's measures in, every matched rule with its numbers out.

Pure functions: no ORM, no clock, no settings. The as-of date and the configuration are
arguments, so every threshold edge can be pinned in a test without a database.

A customer may match several rules of several segments; `primary_segment` picks one by the
admin's precedence, or the sales manager's pin while it lasts.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from accounts.periods import growth_pct
from segmentation.enums import FlagCode, ReasonCode, RiskLevel, Segment

DEFAULT_PRECEDENCE = (Segment.DEFEND, Segment.STRATEGIC, Segment.GROW)


class Reason(NamedTuple):
    """One matched rule and the numbers that matched it (JSON-ready: strings and numbers)."""

    segment: str
    code: str
    evidence: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"segment": self.segment, "code": self.code, "evidence": self.evidence}


@dataclass(slots=True)
class Measures:
    """What the measures SQL extracts for one active customer, from data on or before as-of.

    Read-only by convention (not frozen: the nightly run builds 100,000 of these, and a frozen
    dataclass's constructor is several times slower).
    """

    account_id: int
    owner_id: int | None = None
    revenue_12m: Decimal = Decimal(0)
    gross_profit_12m: Decimal = Decimal(0)
    revenue_prev_12m: Decimal = Decimal(0)
    orders_12m: int = 0
    months_ordered: int = 0
    purchasing_potential: Decimal | None = None
    # Cumulative distribution (0-1] of each measure among active customers, and of the score.
    percentiles: dict[str, float] = field(default_factory=dict)
    score_percentile: float = 0.0
    missing_categories: tuple[str, ...] = ()
    peers: int = 0
    # The churn engine's evidence of the same run, by flag code (its thresholds apply).
    risk_flags: dict[str, dict[str, Any]] = field(default_factory=dict)
    churn_level: str | None = None
    churn_score: Decimal | None = None
    # The churn probability of the same run (0-1) and its expected loss (probability x gross
    # profit 12 months): the defend segment's value.
    churn_probability: Decimal | None = None
    churn_expected_loss: Decimal = Decimal(0)
    # The median revenue 12 months of the industry peers in each category it misses, summed.
    missing_revenue: Decimal = Decimal(0)
    # Gross profit over revenue of all active customers: the margin of one without revenue.
    portfolio_margin: Decimal | None = None

    @property
    def yoy_growth_pct(self) -> Decimal | None:
        return growth_pct(self.revenue_12m, self.revenue_prev_12m)

    @property
    def gross_margin_pct(self) -> Decimal | None:
        if self.revenue_12m <= 0:
            return None
        return (self.gross_profit_12m / self.revenue_12m * 100).quantize(Decimal("0.1"))

    def value(self, measure: str) -> Decimal | int | None:
        """A decision-model measure by its name (see decision.MEASURES)."""
        values: dict[str, Decimal | int | None] = {
            "revenue_12m": self.revenue_12m,
            "gross_profit_12m": self.gross_profit_12m,
            "regularity": self.months_ordered,
            "yoy_growth": self.yoy_growth_pct,
            "gross_margin": self.gross_margin_pct,
            "orders_12m": self.orders_12m,
        }
        return values[measure]


@dataclass(frozen=True)
class SegmentConfig:
    """The admin's thresholds for the defend and grow rules, and the precedence."""

    precedence: tuple[str, ...] = DEFAULT_PRECEDENCE
    potential_share_max_pct: int = 50
    rising_trend_pct: int = 20
    peer_share_pct: int = 50
    min_peers: int = 5


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("1")))


# Churn flags that are defend evidence too, in the order reasons are shown: the same records
# and assessments, judged by the same thresholds (set once, at /risk/settings/), so the two
# engines never disagree about them.
DEFEND_FLAGS = (
    FlagCode.COMPLAINTS,
    FlagCode.LOW_SATISFACTION,
    FlagCode.POOR_RELATIONSHIP,
    FlagCode.RELATIONSHIP_FALLING,
    FlagCode.COMPETITOR,
    FlagCode.ORG_CHANGE,
)


def defend_reasons(m: Measures, *, c: SegmentConfig) -> list[Reason]:
    """Dissatisfaction, a poor or falling assessment, a competitor, a change, high churn risk:
    the churn engine's flags of the same run, and its level."""
    if not m.risk_flags and m.churn_level != RiskLevel.HIGH:
        return []  # many customers: the nightly run calls this 100,000 times
    reasons = [
        Reason(Segment.DEFEND, code, m.risk_flags[code])
        for code in DEFEND_FLAGS
        if code in m.risk_flags
    ]
    if m.churn_level == RiskLevel.HIGH:
        evidence = {"score": str(m.churn_score), "probability": str(m.churn_probability)}
        reasons.append(Reason(Segment.DEFEND, ReasonCode.CHURN_RISK, evidence))
    return reasons


def grow_reasons(m: Measures, *, c: SegmentConfig) -> list[Reason]:
    """Categories its peers buy and it does not, revenue well below potential, a rising trend."""
    reasons = []
    if m.missing_categories:
        reasons.append(
            Reason(
                Segment.GROW,
                ReasonCode.PEER_CATEGORIES,
                {
                    "categories": list(m.missing_categories),
                    "peers": m.peers,
                    "share_pct": c.peer_share_pct,
                },
            )
        )
    potential = m.purchasing_potential
    if potential and m.revenue_12m * 100 <= potential * c.potential_share_max_pct:
        share = (m.revenue_12m / potential * 100).quantize(Decimal("1"))
        reasons.append(
            Reason(
                Segment.GROW,
                ReasonCode.BELOW_POTENTIAL,
                {
                    "revenue_12m": _money(m.revenue_12m),
                    "potential": _money(potential),
                    "share_pct": str(share),
                },
            )
        )
    growth = m.yoy_growth_pct
    if growth is not None and growth >= c.rising_trend_pct:
        reasons.append(
            Reason(
                Segment.GROW,
                ReasonCode.RISING_TREND,
                {
                    "growth_pct": str(growth),
                    "revenue_12m": _money(m.revenue_12m),
                    "revenue_prev_12m": _money(m.revenue_prev_12m),
                },
            )
        )
    return reasons


def primary_segment(
    reasons: list[Reason], *, precedence: tuple[str, ...], pin: str | None = None
) -> str | None:
    """The pin while it lasts; otherwise the first segment in precedence that a rule matched."""
    if pin is not None:
        return pin
    if not reasons:  # most customers: the nightly run calls this 100,000 times
        return None
    matched = {r.segment for r in reasons}
    for segment in precedence:
        if segment in matched:
            return segment
    return None


def precedence_rank(segment: str | None, precedence: tuple[str, ...]) -> int:
    """0 for the first segment in precedence; segments outside it rank last."""
    return precedence.index(segment) if segment in precedence else len(precedence)
