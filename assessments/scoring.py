"""The relationship score: 0 (a vendor) to 100 (a business partner). Pure, no ORM.

Each 1-5 scale answer maps linearly onto 0..1 (1 -> 0, 3 -> 0.5, 5 -> 1); the score is the
weighted mean of those, times 100, rounded to one decimal. Questions with weight 0 and
unanswered questions do not count; with no weighted answer at all there is no score.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SCALE_MIN = 1
SCALE_MAX = 5


@dataclass(frozen=True)
class ScaledAnswer:
    value: int | None
    weight: Decimal


def scale_fraction(value: int) -> Decimal:
    """Where a 1-5 answer sits between vendor (0) and partner (1)."""
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise ValueError(f"A scale answer must be {SCALE_MIN}-{SCALE_MAX}, not {value}.")
    return Decimal(value - SCALE_MIN) / Decimal(SCALE_MAX - SCALE_MIN)


def relationship_score(answers: Iterable[ScaledAnswer]) -> Decimal | None:
    """Weighted mean of the answered scale questions on 0..100, or None if nothing counts."""
    counted = [(a.weight, a.value) for a in answers if a.value is not None and a.weight > 0]
    total_weight = sum((weight for weight, _ in counted), Decimal(0))
    if total_weight == 0:
        return None
    weighted = sum((weight * scale_fraction(value) for weight, value in counted), Decimal(0))
    return (weighted / total_weight * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
