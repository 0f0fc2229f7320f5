"""The admin's strategic decision model: weighted measures, qualified by percentile or thresholds.

The weighted score is the weighted mean of each measure's cumulative distribution among active
customers (so measures in shekels, months and percent combine on one 0-1 scale); the SQL computes
the distributions with window functions, these pure functions decide and explain.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from segmentation.enums import QualifyMode, ReasonCode, Segment
from segmentation.segments.rules import Measures, Reason

# The measures the data supports, in the order forms and sentences show them.
MEASURES = (
    "revenue_12m",
    "gross_profit_12m",
    "regularity",
    "yoy_growth",
    "gross_margin",
    "orders_12m",
)
MEASURE_LABELS = {
    "revenue_12m": _("Revenue, last 12 months"),
    "gross_profit_12m": _("Gross profit, last 12 months"),
    "regularity": _("Regularity (months with orders, of the last 12)"),
    "yoy_growth": _("Year-on-year growth (%)"),
    "gross_margin": _("Gross margin (%)"),
    "orders_12m": _("Orders, last 12 months"),
}


@dataclass(frozen=True)
class DecisionModel:
    weights: dict[str, float] = field(
        default_factory=lambda: {"revenue_12m": 1.0, "gross_profit_12m": 2.0, "regularity": 1.0}
    )
    mode: str = QualifyMode.PERCENTILE
    percentile: float = 90.0
    # Minimum value per measure; a measure without one is not tested.
    thresholds: dict[str, Decimal] = field(default_factory=dict)
    version: int | None = None

    @property
    def uses_percentile(self) -> bool:
        return self.mode in (QualifyMode.PERCENTILE, QualifyMode.BOTH)

    @property
    def uses_thresholds(self) -> bool:
        return self.mode in (QualifyMode.THRESHOLDS, QualifyMode.BOTH)


def model_errors(
    *, weights: dict[str, Any], mode: str, percentile: Any, thresholds: dict[str, Any]
) -> dict[str, str]:
    """Field name -> message for every bad setting; empty when the model can be saved."""
    errors: dict[str, str] = {}
    try:
        values = {m: float(w) for m, w in weights.items() if m in MEASURES}
    except (TypeError, ValueError):
        return {"weights": str(_("Every weight must be a number."))}
    if any(w < 0 for w in values.values()):
        errors["weights"] = str(_("Weights cannot be negative."))
    elif sum(values.values()) <= 0:
        errors["weights"] = str(_("The weights sum to zero: give at least one measure a weight."))
    if mode not in QualifyMode.values:
        errors["mode"] = str(_("Choose how a customer qualifies."))
    if mode in (QualifyMode.PERCENTILE, QualifyMode.BOTH):
        try:
            pct = float(percentile)
        except (TypeError, ValueError):
            pct = -1.0
        if not 0 <= pct <= 100:
            errors["percentile"] = str(_("The percentile must be between 0 and 100."))
    if mode in (QualifyMode.THRESHOLDS, QualifyMode.BOTH) and not any(
        v is not None for v in thresholds.values()
    ):
        errors["thresholds"] = str(_("Set a threshold for at least one measure."))
    for measure, value in thresholds.items():
        if value is not None and _decimal(value) is None:
            errors[f"threshold_{measure}"] = str(_("Enter a number."))
    return errors


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _measure_evidence(m: Measures, measure: str) -> dict[str, Any]:
    value = m.value(measure)
    pct = m.percentiles.get(measure)
    return {
        "measure": measure,
        "value": None if value is None else str(value),
        "percentile": None if pct is None else round(pct * 100),
    }


def _meets_thresholds(m: Measures, thresholds: dict[str, Decimal]) -> bool:
    for measure, minimum in thresholds.items():
        value = m.value(measure)
        if value is None or Decimal(value) < minimum:
            return False
    return True


def strategic_reasons(m: Measures, *, model: DecisionModel) -> list[Reason]:
    """One reason when the model qualifies the customer, with every measure's value and rank.

    A customer without an order in 12 months is never strategic: in a base where many have no
    orders, they tie, and a tie shares the highest rank of its group.
    """
    if m.orders_12m == 0:
        return []
    # Rounded so that 0.29 * 100 = 28.999999999999996 still counts as the 29th percentile.
    if model.uses_percentile and round(m.score_percentile * 100, 6) < model.percentile:
        return []
    if model.uses_thresholds and not _meets_thresholds(m, model.thresholds):
        return []
    shown = [x for x in MEASURES if model.weights.get(x) or x in model.thresholds]
    evidence = {
        "version": model.version,
        "score_percentile": round(m.score_percentile * 100),
        "measures": [_measure_evidence(m, x) for x in shown],
        "mode": model.mode,
    }
    return [Reason(Segment.STRATEGIC, ReasonCode.DECISION_MODEL, evidence)]
