"""The look-back's customers from the database: features as of a past date, by the same
set-based SQL as the nightly chunks, and each customer's fate in the horizon after it.

`lookback_read(as_of=D, horizon_days=H, ...)` describes every customer as of D from data on or
before D (`features.customer_features`: every source is cut at D), and labels lost those
active in the year before D with no order in (D, D + H]. The nightly run calls it with
D = its as-of date - H, so the labels end on its as-of date and nothing later is read;
`backtest_risk` calls it with any past date. PostgreSQL and SQLite.

Its SQL is most of its time and the rules' Python the rest: with `readers=N` it reads the id
ranges ahead on N connections of its own while it works on the range before, so the statements
run side by side on the server (at 100,000 customers on 2 cores: 17.9 s on the caller's
connection, 11.5 s with 2 readers; docs/performance.md).
"""

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from django.db import connection, connections

from accounts.periods import Window
from segmentation.churn import learning
from segmentation.churn import repeat_buying as rb
from segmentation.churn.features import Features, customer_features
from segmentation.churn.fitting import LookBack
from segmentation.churn.rules import RiskConfig, evaluate


def ordered_within(*, after: dt.date, until: dt.date) -> set[int]:
    """The customers with an order in (after, until]: the order-date index serves it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT account_id FROM accounts_order "
            "WHERE ordered_on > %s AND ordered_on <= %s",
            [after, until],
        )
        return {row[0] for row in cursor.fetchall()}


def lookback_read(
    *,
    as_of: dt.date,
    horizon_days: int,
    config: RiskConfig,
    ranges: Iterable[tuple[int, int]],
    beat: Callable[[], None] = lambda: None,
    readers: int = 0,
) -> tuple[LookBack, list[int]]:
    """The look-back as of `as_of`, and the ids of its rows (customers active in the year
    before `as_of`), in id order. `beat` is called after each id range (the run's heartbeat);
    `readers` > 0 reads ahead on that many connections of its own (see the module's doc)."""
    kept = ordered_within(after=as_of, until=as_of + dt.timedelta(days=horizon_days))
    active_since = Window(as_of).start
    ids: list[int] = []
    rows: list[learning.CustomerRow] = []
    row_summaries: list[rb.Summary] = []
    summaries: list[rb.Summary] = []
    for features in _features_by_range(ranges, as_of=as_of, config=config, readers=readers):
        for f in features:
            summary = rb.summary_from(f, as_of)
            if summary is None:
                continue
            summaries.append(summary)
            if f.last_order_on is None or f.last_order_on <= active_since:
                continue
            strengths = evaluate(f, as_of=as_of, c=config).strengths
            rows.append(learning.row_for(f, strengths, as_of=as_of))
            row_summaries.append(summary)
            ids.append(f.account_id)
        beat()
    lost = np.array([pk not in kept for pk in ids], dtype=bool)
    return LookBack(horizon_days, rows, row_summaries, lost, summaries), ids


def _features_by_range(
    ranges: Iterable[tuple[int, int]], *, as_of: dt.date, config: RiskConfig, readers: int
) -> Iterator[list[Features]]:
    """Each range's features, in the ranges' order. Readers need PostgreSQL and committed data:
    inside a transaction (a test's, say) the caller's connection reads them, one by one."""

    def read(lo: int, hi: int) -> list[Features]:
        return list(customer_features(as_of=as_of, lo=lo, hi=hi, c=config))

    if readers < 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        for lo, hi in ranges:
            yield read(lo, hi)
        return

    def read_apart(lo: int, hi: int) -> list[Features]:
        try:
            return read(lo, hi)
        finally:
            connections.close_all()  # this thread's own: the pool's threads end with the read

    todo = iter(ranges)
    with ThreadPoolExecutor(max_workers=readers, thread_name_prefix="lookback") as pool:
        ahead: deque[Future[list[Features]]] = deque()
        while True:
            # At most `readers` ranges are read while the caller works on one.
            while len(ahead) < readers and (nxt := next(todo, None)) is not None:
                ahead.append(pool.submit(read_apart, *nxt))
            if not ahead:
                return
            yield ahead.popleft().result()
