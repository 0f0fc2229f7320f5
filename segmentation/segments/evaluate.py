"""Every rule of every segment for one customer, and the primary segment they lead to."""

from typing import NamedTuple

from segmentation.segments.decision import DecisionModel, strategic_reasons
from segmentation.segments.rules import (
    Measures,
    Reason,
    SegmentConfig,
    defend_reasons,
    grow_reasons,
    precedence_rank,
    primary_segment,
)


class Decision(NamedTuple):
    segment: str | None
    precedence_rank: int
    reasons: list[Reason]


def evaluate(
    m: Measures, *, c: SegmentConfig, model: DecisionModel, pin: str | None = None
) -> Decision:
    """All matched rules (defend, strategic, grow) and the primary segment: the pin, if any,
    else the first matched segment in the admin's precedence."""
    reasons = defend_reasons(m, c=c) + strategic_reasons(m, model=model) + grow_reasons(m, c=c)
    segment = primary_segment(reasons, precedence=c.precedence, pin=pin)
    return Decision(segment, precedence_rank(segment, c.precedence), reasons)
