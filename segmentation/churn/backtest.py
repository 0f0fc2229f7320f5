"""Does the score rank the customers who really stop buying at the top? Measured on history.

Scores are computed as of DATE from data on or before DATE (the same SQL and rules as the nightly
run); a customer counts as lost when it places no order in (DATE, DATE + horizon].

`scorer_table` sets four scorers side by side on the same customers (pure, on a `LookBack`):
the hand weights (p = score / 100), the learned model (each customer scored by a model fitted
without its fold, as the nightly comparison does), the repeat-buying model alone (its chance of
no buying occasion in the horizon) and plain days since the last order (made a probability by
a one-variable logistic regression, held out the same way).
"""

import datetime as dt
import itertools
from dataclasses import dataclass

import numpy as np

from accounts.periods import Window
from segmentation.churn import fitting, learning
from segmentation.churn import repeat_buying as rb
from segmentation.churn.features import customer_features
from segmentation.churn.fitting import LookBack
from segmentation.churn.lookback import ordered_within
from segmentation.churn.metrics import TopK, roc_auc, top_share
from segmentation.churn.rules import RiskConfig, combine, evaluate
from segmentation.pipeline import account_id_ranges


@dataclass(frozen=True)
class Sample:
    """One active customer as of the backtest date: its signal strengths and its fate."""

    account_id: int
    strengths: dict[str, float]
    lost: bool


@dataclass(frozen=True)
class BacktestResult:
    customers: int
    lost: int
    auc: float
    top: tuple[TopK, ...]


def backtest_samples(*, as_of: dt.date, horizon_days: int, config: RiskConfig) -> list[Sample]:
    """Customers with an order in the year up to `as_of`, with strengths and labels."""
    kept = ordered_within(after=as_of, until=as_of + dt.timedelta(days=horizon_days))
    active_since = Window(as_of).start
    samples = []
    for lo, hi in account_id_ranges():
        for f in customer_features(as_of=as_of, lo=lo, hi=hi, c=config):
            if f.last_order_on is None or f.last_order_on <= active_since:
                continue
            result = evaluate(f, as_of=as_of, c=config)
            samples.append(Sample(f.account_id, result.strengths, f.account_id not in kept))
    return samples


def measure(samples: list[Sample], weights: dict[str, float]) -> BacktestResult:
    scores = [combine(s.strengths, weights) for s in samples]
    labels = [s.lost for s in samples]
    return BacktestResult(
        customers=len(samples),
        lost=sum(labels),
        auc=roc_auc(scores, labels),
        top=tuple(top_share(scores, labels, share=share) for share in (0.1, 0.2)),
    )


TUNE_VALUES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.85, 1.0)
# Only the order-history signals are tuned. How competitor records, complaints and contact changes
# relate to leaving is whatever a generator says it is, so tuning those weights on generated data
# would fit the generator; they keep their judged defaults until real outcomes exist.
TUNED_SIGNALS = (
    "overdue",
    "infrequent",
    "volume_drop",
    "order_size",
    "gap_growth",
    "price_comparison",
)


def objective(result: BacktestResult) -> float:
    """AUC for the whole ranking plus precision at the top 10%, where managers look first."""
    return result.auc + 0.5 * result.top[0].precision


def tune_weights(
    sample_sets: list[list[Sample]], start: dict[str, float], *, passes: int = 2
) -> dict[str, float]:
    """Coordinate ascent on the mean objective over several histories (not just one generator)."""
    weights = dict(start)

    def score(w: dict[str, float]) -> float:
        return sum(objective(measure(s, w)) for s in sample_sets) / len(sample_sets)

    best = score(weights)
    for _, name in itertools.product(range(passes), TUNED_SIGNALS):
        for value in TUNE_VALUES:
            trial = {**weights, name: value}
            trial_score = score(trial)
            if trial_score > best + 1e-9:
                best, weights = trial_score, trial
    return weights


@dataclass(frozen=True)
class ScorerFigures:
    """One scorer on the backtest's customers: ranking and calibration."""

    scorer: str  # "hand", "learned", "repeat_buying", "days_since_last_order"
    auc: float
    top: tuple[TopK, ...]
    brier: float


SHARES = (0.1, 0.2)


def figures_of(scorer: str, p: np.ndarray, lost: np.ndarray) -> ScorerFigures:
    scores, labels = p.tolist(), lost.tolist()
    return ScorerFigures(
        scorer,
        roc_auc(scores, labels),
        tuple(top_share(scores, labels, share=share) for share in SHARES),
        float(np.mean((p - lost) ** 2)),
    )


def _days_alone(design: learning.Design, lost: np.ndarray, *, folds: int) -> np.ndarray:
    column = design.names.index("days_since_last_order")
    days = learning.Design(("days_since_last_order",), design.x[:, [column]])
    return learning.held_out_proba(days, lost, folds=folds, seed=0, c=learning.DEFAULT_C)


def scorer_table(
    lookback: LookBack, weights: dict[str, float], *, folds: int = learning.DEFAULT_FOLDS
) -> list[ScorerFigures]:
    """The four scorers on the look-back's customers, in the order of the docs' tables; the
    repeat-buying rows need a converged fit (else they are left out)."""
    lost = np.asarray(lookback.lost, dtype=bool)
    fitted = fitting.repeat_buying_fit(lookback.summaries)
    rows = list(lookback.rows)
    if fitted is not None:
        horizon = lookback.horizon_days
        rows = fitting.with_expectations(
            rows, fitting.expectations(fitted, horizon, lookback.row_summaries)
        )
    design = learning.design_matrix(rows)
    learned = learning.held_out_proba(design, lost, folds=folds, seed=0, c=learning.DEFAULT_C)
    table = [
        figures_of("hand", learning.hand_proba(weights, design), lost),
        figures_of("learned", learned, lost),
    ]
    if fitted is not None:
        x, t_x, T = rb.summary_arrays(list(lookback.row_summaries))
        silent = rb.probability_no_occasion(fitted, float(lookback.horizon_days), x, t_x, T)
        table.append(figures_of("repeat_buying", silent, lost))
    table.append(figures_of("days_since_last_order", _days_alone(design, lost, folds=folds), lost))
    return table
