"""Benchmark: the MBG/NBD repeat-buying model on 100,000 customers (no database).

    .venv/bin/python bench/repeat_buying.py [--customers N] [--repeat R] [--horizon DAYS]

Simulates customers from known parameters (about 50 orders' worth of history for a steady
buyer: four years, an occasion every 67 days on average), then times, each R times (best and
median, since the machine is shared): the summaries from the nightly features (summary_from,
one Python call per customer, as the nightly pass would make it), the maximum-likelihood fit,
and the per-customer predictions (P(alive), the expected and the usual occasions in the
horizon). Prints the fitted parameters beside the true ones, and the load average: the
figures are only comparable on an idle machine. OpenBLAS's threads, idle-spinning, slow the
optimiser's small matrix steps on a busy machine: compare with OPENBLAS_NUM_THREADS=1.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from segmentation.churn import repeat_buying as rb
from segmentation.churn.rules import Features

TRUE = rb.Params(r=0.9, alpha=60.0, a=0.7, b=4.5)
AS_OF = dt.date(2026, 10, 31)


def main() -> None:
    args = _arguments()
    rng = np.random.default_rng(2026)
    s = rb.simulate(TRUE, rng.uniform(60, 1460, args.customers), rng=rng)
    T = np.floor(s.T)  # whole days, as the features give them
    t_x = np.minimum(np.round(s.t_x), T)
    features = [
        _features(i, int(x), int(tx), int(t))
        for i, (x, tx, t) in enumerate(zip(s.x, t_x, T, strict=True))
    ]
    print(f"{args.customers:,} customers; mean repeat occasions {s.x.mean():.1f}")
    print(f"load average {os.getloadavg()[0]:.1f}; OPENBLAS_NUM_THREADS={_threads()}")

    _time(
        "summaries from features",
        args.repeat,
        lambda: [rb.summary_from(f, AS_OF) for f in features],
    )
    fitted = rb.fit(s.x, t_x, T)
    _time("fit (maximum likelihood)", args.repeat, lambda: rb.fit(s.x, t_x, T))
    _time("P(alive)", args.repeat, lambda: rb.probability_alive(fitted, s.x, t_x, T))
    _time(
        f"expected occasions, {args.horizon:g} days",
        args.repeat,
        lambda: rb.expected_occasions(fitted, args.horizon, s.x, t_x, T),
    )
    _time("usual occasions", args.repeat, lambda: rb.usual_occasions(fitted, args.horizon, s.x, T))
    print(f"true    r={TRUE.r:.3f} alpha={TRUE.alpha:.2f} a={TRUE.a:.3f} b={TRUE.b:.3f}")
    print(
        f"fitted  r={fitted.r:.3f} alpha={fitted.alpha:.2f} a={fitted.a:.3f} b={fitted.b:.3f}"
        f" (log-likelihood {fitted.log_likelihood:,.1f}, converged {fitted.converged})"
    )


def _threads() -> str:
    return os.environ.get("OPENBLAS_NUM_THREADS", "unset")


def _features(account_id: int, x: int, t_x: int, T: int) -> Features:
    first = AS_OF - dt.timedelta(days=T)
    return Features(
        account_id=account_id,
        orders_total=x + 1,
        gap_count=x,
        first_order_on=first,
        last_occasion_on=first + dt.timedelta(days=t_x),
    )


def _time(label: str, repeat: int, fn: Callable[[], object]) -> None:
    """Wall-clock best and median, and the best CPU time (what a busy machine distorts least)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(
        f"{label:<34} best {min(wall):.3f} s, median {statistics.median(wall):.3f} s"
        f" (CPU best {min(cpu):.3f} s)"
    )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each step")
    parser.add_argument("--horizon", type=float, default=90.0, help="days ahead")
    return parser.parse_args()


if __name__ == "__main__":
    main()
