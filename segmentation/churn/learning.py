"""A churn probability learned from the company's own outcomes, with the hand weights beside it.

Pure: numpy and scikit-learn; no ORM, no clock, no settings. The nightly run labels the customers
of a look-back date by what happened since (as `segmentation.backtest` does), builds a `Design`
from their signal strengths and order-history covariates, `fit`s a logistic regression,
`compare`s it with the hand weights on held-out customers, and `choose`s which one scores today.

Scoring needs no scikit-learn object: a `LearnedModel` is a few numbers (JSON-ready) and
`predict_proba` is one matrix product, so 100,000 customers take milliseconds.

The hand weights are compared as p = score / 100, uncalibrated, on purpose: that is the number a
user would be shown if the hand weights score the run, so its Brier score is the honest one to set
against the learned model's. A noisy OR is a probability by construction (each weight is the
chance that its signal alone, at full strength, ends in a loss), so the reading is not a stretch;
where the weights are miscalibrated for this company, the Brier score says so. AUC depends only on
the ranking, so calibrating the hand score would not change it.
"""

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from segmentation.churn.metrics import roc_auc
from segmentation.churn.rules import SIGNALS, Features

SIGNAL_NAMES: tuple[str, ...] = tuple(SIGNALS)
COVARIATES = ("days_since_last_order", "occasions_12m", "log_revenue_12m")
EXPECTATION = "expected_orders"
# Inverse L2 strength on standardised features: a N(0, 1) prior on each coefficient. It only
# matters where outcomes are few (it keeps a signal that separates a small sample perfectly from
# an infinite weight). Fixed rather than searched: at 800 customers (288 lost), C from 0.1 to 1e6
# moved the held-out Brier score by under 0.001 and the AUC by under 0.001.
DEFAULT_C = 1.0
DEFAULT_FOLDS = 5
DEFAULT_MINIMUM_LOST = 200
# "Better" (see choose): a Brier score lower by more than BRIER_Z standard errors of the paired
# difference, and an AUC at most AUC_MARGIN below the hand weights'.
BRIER_Z = 2.0
AUC_MARGIN = 0.005
PINS = ("auto", "learned", "hand")


class CustomerRow(NamedTuple):
    """One customer as of a date: what the design matrix is built from."""

    strengths: Mapping[str, float]  # every name in SIGNALS, 0..1 (RiskResult.strengths)
    days_since_last_order: float
    occasions_12m: float
    revenue_12m: float
    expected_orders: float | None = None  # the repeat-buying expectation, when it was computed


def row_for(
    f: Features,
    strengths: Mapping[str, float],
    *,
    as_of: dt.date,
    expected_orders: float | None = None,
) -> CustomerRow:
    """One customer's row from its features and strengths as of `as_of` (it must have ordered)."""
    if f.last_order_on is None:
        raise ValueError(f"Customer {f.account_id} has no order: no days since the last one.")
    days = (as_of - f.last_order_on).days
    return CustomerRow(strengths, days, f.occasions_365d, float(f.revenue_12m), expected_orders)


@dataclass(frozen=True, eq=False)
class Design:
    """The design matrix, one row per customer, with the name of each column."""

    names: tuple[str, ...]
    x: np.ndarray

    def __len__(self) -> int:
        return self.x.shape[0]

    def rows(self, index: np.ndarray) -> "Design":
        return Design(self.names, self.x[index])

    def with_zero(self, name: str) -> "Design":
        """A copy with one column set to 0: every customer without that signal."""
        x = self.x.copy()
        x[:, self.names.index(name)] = 0.0
        return Design(self.names, x)


def _strength_matrix(rows: Sequence[CustomerRow]) -> np.ndarray:
    try:
        values = [[row.strengths[name] for name in SIGNAL_NAMES] for row in rows]
    except KeyError as missing:
        i = next(i for i, row in enumerate(rows) if missing.args[0] not in row.strengths)
        raise ValueError(f"Row {i}: no strength for signal '{missing.args[0]}'.") from None
    return np.array(values, dtype=float).reshape(len(rows), len(SIGNAL_NAMES))


def _expectations(rows: Sequence[CustomerRow]) -> np.ndarray | None:
    """The expectation column, or None when no row has one (then the model has no such column)."""
    present = [row.expected_orders is not None for row in rows]
    if not any(present):
        return None
    if not all(present):
        raise ValueError(f"Row {present.index(False)}: expected_orders is missing; others have it.")
    return np.fromiter((row.expected_orders for row in rows), dtype=float, count=len(rows))


def design_matrix(rows: Sequence[CustomerRow]) -> Design:
    """Signal strengths in the order of SIGNALS, then the covariates, then the expectation."""
    n = len(rows)
    revenue = np.fromiter((row.revenue_12m for row in rows), dtype=float, count=n)
    columns = [
        _strength_matrix(rows),
        np.fromiter((row.days_since_last_order for row in rows), dtype=float, count=n),
        np.fromiter((row.occasions_12m for row in rows), dtype=float, count=n),
        np.log1p(np.clip(revenue, 0.0, None)),  # a refund-heavy year counts as no revenue
    ]
    names = SIGNAL_NAMES + COVARIATES
    expected = _expectations(rows)
    if expected is not None:
        columns.append(expected)
        names += (EXPECTATION,)
    x = np.column_stack(columns)
    bad = np.argwhere(~np.isfinite(x))
    if len(bad):
        raise ValueError(f"Row {bad[0][0]}: {names[bad[0][1]]} is not a finite number.")
    return Design(names, x)


@dataclass(frozen=True)
class LearnedModel:
    """A fitted logistic regression on standardised features, as plain numbers."""

    names: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    coefficients: tuple[float, ...]  # per standard deviation of each feature
    intercept: float
    c: float

    def per_unit(self) -> dict[str, float]:
        """Log-odds added per unit of each raw feature (per 1.0 of strength, per day, ...)."""
        return {
            n: b / s for n, b, s in zip(self.names, self.coefficients, self.scales, strict=True)
        }

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "names": list(self.names)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "LearnedModel":
        try:
            names = tuple(str(n) for n in data["names"])
            vectors = {k: tuple(float(v) for v in data[k]) for k in ("means", "scales")}
            coefficients = tuple(float(v) for v in data["coefficients"])
            intercept, c = float(data["intercept"]), float(data["c"])
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"Not a learned churn model: {e!r}.") from None
        for key, values in {**vectors, "coefficients": coefficients}.items():
            if len(values) != len(names):
                raise ValueError(f"Learned model: {len(values)} {key} for {len(names)} names.")
        return cls(names, vectors["means"], vectors["scales"], coefficients, intercept, c)


def _labels(lost: Sequence[bool] | np.ndarray, customers: int) -> np.ndarray:
    y = np.asarray(lost, dtype=bool)
    if y.shape != (customers,):
        raise ValueError(f"{y.size} labels for {customers} customers.")
    return y


def fit(design: Design, lost: Sequence[bool] | np.ndarray, *, c: float = DEFAULT_C) -> LearnedModel:
    """L2-regularised logistic regression (lbfgs) of `lost` on the standardised design."""
    y = _labels(lost, len(design))
    if y.all() or not y.any():
        raise ValueError("Fitting needs both lost and kept customers.")
    means = design.x.mean(axis=0)
    scales = design.x.std(axis=0)
    scales[scales == 0.0] = 1.0  # a constant column (a signal nobody raised) stays at 0
    z = (design.x - means) / scales
    regression = LogisticRegression(C=c, solver="lbfgs", max_iter=1000).fit(z, y)
    return LearnedModel(
        names=design.names,
        means=tuple(means.tolist()),
        scales=tuple(scales.tolist()),
        coefficients=tuple(regression.coef_[0].tolist()),
        intercept=float(regression.intercept_[0]),
        c=c,
    )


def _sigmoid(t: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -t))  # 1 / (1 + e^-t) without overflow at either end


def predict_proba(model: LearnedModel, design: Design) -> np.ndarray:
    """Each customer's probability of no order in the horizon, under the learned model."""
    if design.names != model.names:
        raise ValueError(f"The model expects columns {model.names}, not {design.names}.")
    z = (design.x - np.asarray(model.means)) / np.asarray(model.scales)
    return _sigmoid(z @ np.asarray(model.coefficients) + model.intercept)


def hand_proba(weights: Mapping[str, float], design: Design) -> np.ndarray:
    """The hand-weighted noisy OR (rules.combine) of every customer, as 0..1."""
    strengths = design.x[:, [design.names.index(name) for name in SIGNAL_NAMES]]
    w = np.array([weights.get(name, 0.0) for name in SIGNAL_NAMES])
    return 1.0 - np.prod(1.0 - np.minimum(strengths * w, 1.0), axis=1)


Scorer = LearnedModel | Mapping[str, float]  # a learned model, or the hand weights


def probability(scorer: Scorer, design: Design) -> np.ndarray:
    if isinstance(scorer, LearnedModel):
        return predict_proba(scorer, design)
    return hand_proba(scorer, design)


def contributions(scorer: Scorer, design: Design) -> np.ndarray:
    """Percentage points each signal adds: p(all) - p(that strength set to 0), x 100.

    Shape (customers, signals), columns in the order of SIGNALS. A signal at strength 0 adds
    exactly 0. Under the hand weights every raised signal adds points; under the learned model a
    signal this company's history ties to staying would show negative points, as it should.
    """
    p = probability(scorer, design)
    points = [p - probability(scorer, design.with_zero(name)) for name in SIGNAL_NAMES]
    return 100.0 * np.column_stack(points)


@dataclass(frozen=True)
class Decile:
    """Customers in one tenth of the predicted risk: what was predicted against what happened."""

    count: int
    lowest: float
    highest: float
    mean_predicted: float
    observed: float  # share lost


@dataclass(frozen=True)
class Measures:
    auc: float
    brier: float
    deciles: tuple[Decile, ...]


def calibration_deciles(p: np.ndarray, lost: np.ndarray, *, bins: int = 10) -> tuple[Decile, ...]:
    """Equal-count groups by predicted risk, lowest first (fewer when customers are under 10)."""
    y = _labels(lost, len(p))
    order = np.argsort(p, kind="stable")
    groups = [g for g in np.array_split(order, bins) if len(g)]
    return tuple(
        Decile(
            count=len(g),
            lowest=float(p[g].min()),
            highest=float(p[g].max()),
            mean_predicted=float(p[g].mean()),
            observed=float(y[g].mean()),
        )
        for g in groups
    )


def measure(p: np.ndarray, lost: np.ndarray) -> Measures:
    """ROC AUC (metrics.roc_auc), Brier score and calibration by decile of predictions."""
    y = _labels(lost, len(p))
    brier = float(np.mean((p - y) ** 2))
    return Measures(roc_auc(p.tolist(), y.tolist()), brier, calibration_deciles(p, y))


@dataclass(frozen=True)
class Comparison:
    """Both scorers on the same held-out customers."""

    customers: int
    lost: int
    folds: int
    seed: int
    learned: Measures
    hand: Measures
    brier_difference: float  # learned minus hand: below 0 where the learned model is closer
    brier_difference_se: float  # its standard error, paired customer by customer

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def paired_brier_difference(
    learned: np.ndarray, hand: np.ndarray, lost: np.ndarray
) -> tuple[float, float]:
    """Mean of each customer's squared-error difference (learned - hand), and its standard error.

    Paired on the same customers, so what both scorers find easy or hard cancels out and the
    error is that of the difference alone.
    """
    y = _labels(lost, len(learned))
    d = (learned - y) ** 2 - (hand - y) ** 2
    se = float(d.std(ddof=1) / math.sqrt(len(d))) if len(d) > 1 else math.inf
    return float(d.mean()), se


def held_out_proba(design: Design, y: np.ndarray, *, folds: int, seed: int, c: float) -> np.ndarray:
    """Each customer's learned probability from a model fitted without its fold."""
    p = np.empty(len(design))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(design.x, y):
        p[test] = predict_proba(fit(design.rows(train), y[train], c=c), design.rows(test))
    return p


def compare(
    design: Design,
    lost: Sequence[bool] | np.ndarray,
    *,
    weights: Mapping[str, float],
    folds: int = DEFAULT_FOLDS,
    seed: int = 0,
    c: float = DEFAULT_C,
) -> Comparison:
    """Stratified k-fold cross-validation of the learned model against the hand weights.

    The hand weights are not fitted on these customers, so their score of every customer is
    already held out; both are measured on the same customers, pooled over the folds.
    """
    y = _labels(lost, len(design))
    lost_count = int(y.sum())
    if min(lost_count, len(y) - lost_count) < folds:
        raise ValueError(f"{folds}-fold comparison needs {folds} lost and {folds} kept customers.")
    learned = held_out_proba(design, y, folds=folds, seed=seed, c=c)
    hand = hand_proba(weights, design)
    difference, se = paired_brier_difference(learned, hand, y)
    return Comparison(
        len(y), lost_count, folds, seed, measure(learned, y), measure(hand, y), difference, se
    )


@dataclass(frozen=True)
class Choice:
    """Which scorer scores the run, and why: a reason code and the numbers behind it."""

    scorer: str  # "learned" or "hand"
    reason: str
    numbers: Mapping[str, float]

    def as_json(self) -> dict[str, Any]:
        return {"scorer": self.scorer, "reason": self.reason, "numbers": dict(self.numbers)}


def _figures(comparison: Comparison) -> dict[str, float]:
    return {
        "lost": comparison.lost,
        "learned_auc": comparison.learned.auc,
        "hand_auc": comparison.hand.auc,
        "learned_brier": comparison.learned.brier,
        "hand_brier": comparison.hand.brier,
        "brier_difference": comparison.brier_difference,
        "brier_difference_se": comparison.brier_difference_se,
    }


def _validate_choice(pin: str, *numbers: float) -> None:
    if pin not in PINS:
        raise ValueError(f"pin must be one of {', '.join(PINS)}, not {pin!r}.")
    if any(not math.isfinite(x) or x < 0 for x in numbers):
        raise ValueError("minimum_lost, auc_margin and brier_z must be numbers, not negative.")


def choose(
    comparison: Comparison | None,
    *,
    minimum_lost: int = DEFAULT_MINIMUM_LOST,
    pin: str = "auto",
    auc_margin: float = AUC_MARGIN,
    brier_z: float = BRIER_Z,
) -> Choice:
    """The learned model scores when it is better and rests on enough outcomes, or when pinned.

    Better means a held-out Brier score lower by more than `brier_z` standard errors of the
    paired difference (the probabilities a user is shown are closer to what happened, by more
    than chance: two scorers that are equally good do not swap places night after night), and
    a held-out AUC no more than `auc_margin` below the hand weights' (the at-risk ranking is not
    made worse for it). `comparison` is None when there was none (too few lost or kept customers
    to cross-validate); then the hand weights score.
    """
    _validate_choice(pin, minimum_lost, auc_margin, brier_z)
    if pin == "hand":
        return Choice("hand", "pinned_hand", {})
    if comparison is None:
        reason = "pinned_learned_unavailable" if pin == "learned" else "no_comparison"
        return Choice("hand", reason, {"minimum_lost": minimum_lost})
    rule = {"minimum_lost": minimum_lost, "auc_margin": auc_margin, "brier_z": brier_z}
    figures = {**rule, **_figures(comparison)}
    if pin == "learned":
        return Choice("learned", "pinned_learned", figures)
    if comparison.lost < minimum_lost:
        return Choice("hand", "too_few_lost", figures)
    if not comparison.brier_difference + brier_z * comparison.brier_difference_se < 0:
        return Choice("hand", "brier_not_clearly_lower", figures)
    if comparison.learned.auc < comparison.hand.auc - auc_margin:
        return Choice("hand", "auc_worse", figures)
    return Choice("learned", "learned_better", figures)
