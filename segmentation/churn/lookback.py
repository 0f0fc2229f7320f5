"""The look-back's customers from the database: features as of a past date, by the same
set-based SQL as the nightly chunks, and each customer's fate in the horizon after it.

`lookback_read(as_of=D, horizon_days=H, ...)` describes every customer as of D from data on or
before D (`features.customer_features`: every source is cut at D), and labels lost those
active in the year before D with no order in (D, D + H]. The nightly run calls it with
D = its as-of date - H, so the labels end on its as-of date and nothing later is read;
`backtest_risk` calls it with any past date. PostgreSQL and SQLite.
"""

import datetime as dt
from collections.abc import Callable, Iterable

import numpy as np
from django.db import connection

from accounts.periods import Window
from segmentation.churn import learning
from segmentation.churn import repeat_buying as rb
from segmentation.churn.features import customer_features
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
) -> tuple[LookBack, list[int]]:
    """The look-back as of `as_of`, and the ids of its rows (customers active in the year
    before `as_of`), in id order. `beat` is called after each id range (the run's heartbeat)."""
    kept = ordered_within(after=as_of, until=as_of + dt.timedelta(days=horizon_days))
    active_since = Window(as_of).start
    ids: list[int] = []
    rows: list[learning.CustomerRow] = []
    row_summaries: list[rb.Summary] = []
    summaries: list[rb.Summary] = []
    for lo, hi in ranges:
        for f in customer_features(as_of=as_of, lo=lo, hi=hi, c=config):
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
