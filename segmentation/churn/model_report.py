"""What the risk-settings page shows of a model version: the learned model against the hand
weights on held-out customers, the reliability chart (predicted against observed, by decile of
predicted risk) and its table, the coefficients and the repeat-buying parameters.

Pure: reads the JSON a `RiskModelVersion` stores (no ORM, no clock); the labels are in the
reader's language. The chart's data go to the page through `json_script` and are drawn by
static/js/reliability.js (no inline script).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from segmentation.churn.learning import COVARIATES, EXPECTATION
from segmentation.enums import Scorer, SignalName

SCORERS = (Scorer.LEARNED, Scorer.HAND)
COLOURS = {Scorer.LEARNED: "#0d6efd", Scorer.HAND: "#fd7e14"}


@dataclass(frozen=True)
class DecileRow:
    number: int
    customers: int
    predicted: float  # mean predicted probability
    observed: float  # share lost


def deciles(comparison: Mapping[str, Any], scorer: str) -> list[DecileRow]:
    """One scorer's deciles as stored (learning.Comparison.as_json()), lowest risk first."""
    return [
        DecileRow(i, int(d["count"]), float(d["mean_predicted"]), float(d["observed"]))
        for i, d in enumerate(comparison[scorer]["deciles"], start=1)
    ]


def reliability_chart(comparison: Mapping[str, Any]) -> dict[str, Any]:
    """A scatter of observed against predicted per decile, one line per scorer, and the
    diagonal where a calibrated scorer's points lie."""
    datasets: list[dict[str, Any]] = [
        {
            "label": str(Scorer(scorer).label),
            "data": [{"x": d.predicted, "y": d.observed} for d in deciles(comparison, scorer)],
            "borderColor": COLOURS[scorer],
            "backgroundColor": COLOURS[scorer],
            "showLine": True,
        }
        for scorer in SCORERS
    ]
    datasets.append(
        {
            "label": _("Perfectly calibrated"),
            "data": [{"x": 0, "y": 0}, {"x": 1, "y": 1}],
            "borderColor": "#adb5bd",
            "borderDash": [4, 4],
            "pointRadius": 0,
            "showLine": True,
        }
    )
    return {
        "type": "scatter",
        "datasets": datasets,
        "x_title": _("Predicted chance of no order (mean of the decile)"),
        "y_title": _("Share with no order (observed)"),
    }


def feature_label(name: str) -> str:
    labels = {
        COVARIATES[0]: _("Days since the last order"),
        COVARIATES[1]: _("Buying occasions, 12 months"),
        COVARIATES[2]: _("Revenue, 12 months (log)"),
        EXPECTATION: _("Expected buying occasions (repeat buying)"),
    }
    if name in SignalName.values:
        return str(SignalName(name).label)
    return labels.get(name, name)


@dataclass(frozen=True)
class Coefficient:
    label: str
    per_sd: float  # log-odds per standard deviation of the feature


def coefficients(model: Mapping[str, Any] | None) -> list[Coefficient]:
    """The learned model's coefficients, largest effect first."""
    if not model:
        return []
    pairs = zip(model["names"], model["coefficients"], strict=True)
    rows = [Coefficient(feature_label(name), float(b)) for name, b in pairs]
    return sorted(rows, key=lambda c: -abs(c.per_sd))


@dataclass(frozen=True)
class RepeatBuying:
    r: float
    alpha: float
    a: float
    b: float
    occasions_in_horizon: float  # of an average active customer: r / alpha x horizon
    leave_chance: float  # after each occasion, on average: a / (a + b)


def repeat_buying(params: Mapping[str, Any] | None, horizon_days: int) -> RepeatBuying | None:
    if not params:
        return None
    r, alpha, a, b = (float(params[k]) for k in ("r", "alpha", "a", "b"))
    return RepeatBuying(r, alpha, a, b, r / alpha * horizon_days, a / (a + b))
