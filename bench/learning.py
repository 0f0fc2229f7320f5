"""Benchmark: the learned churn model at nightly scale (default 100,000 customers x 14 features).

    .venv/bin/python bench/learning.py [--customers N] [--folds K] [--repeat R]

No database: the customers are drawn from a known logistic model (10 signal strengths, mostly 0
as in real portfolios, plus days since the last order, occasions and revenue in 12 months and an
expected-orders column). Prints the seconds for each step the nightly run will take: building the
design matrix from per-customer rows, the fit, the k-fold comparison with the hand weights, and
scoring plus per-signal contributions under both scorers; then the comparison's figures. The
machine is shared, so `--repeat R` prints the best and the median of R runs.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from segmentation.churn import learning
from segmentation.churn.rules import SIGNALS, RiskConfig

TRUE_SIGNAL_LOGODDS = (2.5, 1.0, 0.5, 0.4, 0.3, 0.2, 0.8, 0.6, 0.4, 0.6)


def customers(n: int, seed: int) -> tuple[list[learning.CustomerRow], np.ndarray]:
    rng = np.random.default_rng(seed)
    raised = rng.random((n, len(SIGNALS))) < 0.25
    strengths = np.where(raised, rng.random((n, len(SIGNALS))), 0.0)
    days = rng.integers(0, 366, n).astype(float)
    occasions = rng.poisson(6, n).astype(float)
    revenue = rng.lognormal(10, 1, n)
    expected = occasions * 90 / 365 * rng.uniform(0.5, 1.5, n)
    logit = -2.0 + strengths @ np.array(TRUE_SIGNAL_LOGODDS) + days / 200 - 0.3 * expected
    lost = rng.random(n) < 1 / (1 + np.exp(-logit))
    names = tuple(SIGNALS)
    rows = [
        learning.CustomerRow(dict(zip(names, s, strict=True)), d, o, r, e)
        for s, d, o, r, e in zip(
            strengths.tolist(), days, occasions, revenue, expected, strict=True
        )
    ]
    return rows, lost


def timed(label: str, times: dict[str, list[float]], step: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = step()
    times.setdefault(label, []).append(time.perf_counter() - start)
    return result


def one_run(rows, lost, folds: int, times: dict[str, list[float]]) -> learning.Comparison:
    weights = RiskConfig().weights
    design = timed("design matrix from rows", times, lambda: learning.design_matrix(rows))
    model = timed("fit (all customers)", times, lambda: learning.fit(design, lost))
    comparison = timed(
        f"compare ({folds}-fold, both scorers)",
        times,
        lambda: learning.compare(design, lost, weights=weights, folds=folds),
    )
    timed("score (learned)", times, lambda: learning.predict_proba(model, design))
    timed("contributions (learned)", times, lambda: learning.contributions(model, design))
    timed("contributions (hand)", times, lambda: learning.contributions(weights, design))
    return comparison


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--folds", type=int, default=learning.DEFAULT_FOLDS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows, lost = customers(args.customers, seed=1)
    features = len(learning.design_matrix(rows[:1]).names)
    print(f"{args.customers:,} customers x {features} features; {int(lost.sum()):,} lost")
    times: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        comparison = one_run(rows, lost, args.folds, times)
    fits, compares = (
        times["fit (all customers)"],
        times[f"compare ({args.folds}-fold, both scorers)"],
    )
    times["fit + compare"] = [a + b for a, b in zip(fits, compares, strict=True)]
    print(f"{'step':<34} {'best s':>8} {'median s':>9}")
    for label, values in times.items():
        print(f"{label:<34} {min(values):8.3f} {statistics.median(values):9.3f}")
    for name in ("learned", "hand"):
        m = getattr(comparison, name)
        print(f"{name:<8} held-out AUC {m.auc:.3f}  Brier {m.brier:.4f}")
    print(f"choose: {learning.choose(comparison).as_json()}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
