"""The nightly fit, on the customers of the look-back date: the repeat-buying model, the learned
churn model compared with the hand weights, and the choice of the scorer for today.

Pure: numpy, scipy and scikit-learn through `learning` and `repeat_buying`; no ORM, no clock, no
settings. `lookback.py` reads the look-back's customers from the database; the pipeline stores
the result as a `RiskModelVersion` before the chunks score today's customers with it.

The look-back date is the run's as-of date minus the horizon H. Each customer active in the
year before it is described as of that date (its signal strengths, order-history covariates and
repeat-buying expectation) and labelled lost when it placed no order in the H days after, which
end on the run's as-of date: nothing later is read.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from segmentation.churn import learning
from segmentation.churn import repeat_buying as rb
from segmentation.churn.learning import Choice, Comparison, CustomerRow, LearnedModel


@dataclass(frozen=True, eq=False)
class LookBack:
    """The look-back's customers: `rows` (and `lost`) are those active in the year before the
    look-back date, the learned model's sample; `summaries` are every customer with an order
    by then, the repeat-buying model's (a customer lost long ago is part of that history)."""

    horizon_days: int
    rows: Sequence[CustomerRow]
    row_summaries: Sequence[rb.Summary]  # the summary of each row's customer, in row order
    lost: np.ndarray
    summaries: Sequence[rb.Summary]

    def __post_init__(self) -> None:
        if not len(self.rows) == len(self.row_summaries) == len(self.lost):
            raise ValueError(
                f"{len(self.rows)} rows, {len(self.row_summaries)} summaries and "
                f"{len(self.lost)} labels: one each per customer."
            )


@dataclass(frozen=True)
class FitResult:
    customers: int
    lost: int
    repeat_buying: rb.MbgNbdFit | None  # None: too few customers, or the fit did not converge
    model: LearnedModel | None  # None: too few lost or kept customers to compare
    comparison: Comparison | None
    choice: Choice


# Four parameters describe how a portfolio buys and leaves: fewer customers than this cannot
# say it (one customer's history "fits" with any chance of leaving).
REPEAT_BUYING_MINIMUM = 20


def repeat_buying_fit(summaries: Sequence[rb.Summary]) -> rb.MbgNbdFit | None:
    """The MBG/NBD parameters, or None when there are too few customers to fit or the data
    cannot pin them down (`converged` False): then no expectation is used, rather than an
    arbitrary one."""
    if len(summaries) < REPEAT_BUYING_MINIMUM:
        return None
    fitted = rb.fit(*rb.summary_arrays(list(summaries)))
    return fitted if fitted.converged else None


def expectations(
    params: rb.Params, horizon_days: int, summaries: Sequence[rb.Summary]
) -> np.ndarray:
    """Expected buying occasions in the next `horizon_days` days, per summary."""
    x, t_x, T = rb.summary_arrays(list(summaries))
    if x.size == 0:
        return np.empty(0)
    return rb.expected_occasions(params, float(horizon_days), x, t_x, T)


def with_expectations(rows: Sequence[CustomerRow], expected: np.ndarray) -> list[CustomerRow]:
    return [row._replace(expected_orders=float(e)) for row, e in zip(rows, expected, strict=True)]


def fit_lookback(
    lookback: LookBack,
    *,
    weights: Mapping[str, float],
    minimum_lost: int,
    pin: str,
    folds: int = learning.DEFAULT_FOLDS,
) -> FitResult:
    """Fit the repeat-buying model, then the learned model on the look-back's labels with the
    expectation as a covariate; compare it with the hand weights; choose today's scorer."""
    lost = np.asarray(lookback.lost, dtype=bool)
    fitted = repeat_buying_fit(lookback.summaries)
    rows = list(lookback.rows)
    if fitted is not None and rows:
        rows = with_expectations(
            rows, expectations(fitted, lookback.horizon_days, lookback.row_summaries)
        )
    model, comparison = _learned(rows, lost, weights=weights, folds=folds)
    choice = learning.choose(comparison, minimum_lost=minimum_lost, pin=pin)
    return FitResult(len(rows), int(lost.sum()), fitted, model, comparison, choice)


def _learned(
    rows: list[CustomerRow], lost: np.ndarray, *, weights: Mapping[str, float], folds: int
) -> tuple[LearnedModel | None, Comparison | None]:
    """The model fitted on every row, and its cross-validated comparison; (None, None) when
    lost or kept customers are too few to cross-validate."""
    kept = len(lost) - int(lost.sum())
    if min(int(lost.sum()), kept) < folds:
        return None, None
    design = learning.design_matrix(rows)
    comparison = learning.compare(design, lost, weights=weights, folds=folds)
    return learning.fit(design, lost), comparison


def repeat_buying_json(fitted: rb.MbgNbdFit | None) -> dict[str, Any] | None:
    if fitted is None:
        return None
    return {
        "r": fitted.r,
        "alpha": fitted.alpha,
        "a": fitted.a,
        "b": fitted.b,
        "log_likelihood": fitted.log_likelihood,
        "customers": fitted.customers,
    }


def params_from_json(data: Mapping[str, Any] | None) -> rb.Params | None:
    if not data:
        return None
    try:
        return rb.Params(*(float(data[k]) for k in ("r", "alpha", "a", "b")))
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"Not repeat-buying parameters: {e!r}.") from None
