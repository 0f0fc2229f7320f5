"""Churn features for every customer in one set-based pass, as of a date.

Gaps are measured between buying occasions: orders at most SAME_OCCASION_DAYS apart belong to one
occasion, so a customer who buys in bursts is judged by the silences between its bursts.

One window pass over the orders, in the order of the (account, date) index so that PostgreSQL
needs no sort (gaps with LAG), feeds one GROUP BY with FILTER aggregates; events and contacts are
aggregated the same way and joined per customer. The window's frame is ROWS: LAG ignores the
frame, and a ROWS frame spares PostgreSQL 15 the search for peer rows (same day) on every row.
Every source reads only rows dated on or before the as-of date, so an order placed the day after
changes nothing.

The SQL runs on PostgreSQL (the reference) and on SQLite >= 3.30 (`make run`): both have FILTER
and window functions. Only the day difference between two dates differs, see `_day_diff`.

Adding a signal's data means adding one `Source`: a CTE keyed by account_id and the columns it
contributes, named like the `Features` fields (the relationship assessment is one).
"""

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from accounts.periods import Window
from segmentation.churn.rules import PRICE_WINDOW_DAYS, SAME_OCCASION_DAYS, Features, RiskConfig

EPOCH = dt.date(2000, 1, 1)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Source:
    name: str
    sql: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class OrderAggregate:
    """An extra per-customer aggregate over the same pass of orders (alias `o`, with the columns
    ordered_on, revenue, gp, price_compared, product_category and gap), for a caller that needs
    more than the churn features from that pass:
    the nightly run stages the segment measures this way instead of reading the orders twice.
    `default` is the SQL value for a customer without orders."""

    name: str
    sql: str
    default: str


@dataclass(frozen=True)
class GroupedAggregate:
    """An extra per-customer value that needs its own grouping of the chunk's orders (by
    product category, say), so it cannot be one aggregate of the window pass: `sql` is a CTE
    body keyed by account_id with one column named `name`, reading only the customers
    %(lo)s..%(hi)s and orders on or before %(as_of)s; it is LEFT JOINed on the customer."""

    name: str
    sql: str
    default: str


Extra = OrderAggregate | GroupedAggregate


def _day_diff(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _local_date(column: str) -> str:
    """The day of a timestamp in TIME_ZONE, as Django's `__date` lookup computes it."""
    if connection.vendor == "postgresql":
        return f"({column} AT TIME ZONE %(tz)s)::date"
    return f"django_datetime_cast_date({column}, %(tz)s, %(db_tz)s)"


def _orders_source(extras: Sequence[Extra] = ()) -> Source:
    gap = _day_diff("o.ordered_on", "LAG(o.ordered_on) OVER w")
    aggregates = [e for e in extras if isinstance(e, OrderAggregate)]
    more = "".join(f",\n        {e.sql} AS {e.name}" for e in aggregates)
    category = ", o.product_category" if aggregates else ""  # only the extras read it
    sql = f"""
    ow AS (
      SELECT o.account_id, o.ordered_on, o.revenue, o.gross_profit AS gp,
             o.price_compared{category}, {gap} AS gap
      FROM accounts_order o
      WHERE o.account_id BETWEEN %(lo)s AND %(hi)s AND o.ordered_on <= %(as_of)s
      WINDOW w AS (PARTITION BY o.account_id ORDER BY o.ordered_on ROWS UNBOUNDED PRECEDING)
    ),
    orders AS (
      SELECT account_id,
        COUNT(*) AS orders_total,
        MAX(ordered_on) AS last_order_on,
        COUNT(*) FILTER (WHERE ordered_on > %(year_start)s) AS orders_365d,
        COALESCE(SUM(revenue) FILTER (WHERE ordered_on > %(year_start)s), 0) AS revenue_12m,
        COALESCE(SUM(gp) FILTER (WHERE ordered_on > %(year_start)s), 0) AS gross_profit_12m,
        COALESCE(SUM(revenue) FILTER (WHERE ordered_on > %(prev_start)s
                                       AND ordered_on <= %(year_start)s), 0) AS revenue_prev_12m,
        COALESCE(SUM(gp) FILTER (WHERE ordered_on > %(prev_start)s
                                  AND ordered_on <= %(year_start)s), 0) AS gross_profit_prev_12m,
        COUNT(*) FILTER (WHERE ordered_on > %(recent_start)s) AS recent_orders,
        COALESCE(SUM(revenue) FILTER (WHERE ordered_on > %(recent_start)s), 0) AS recent_revenue,
        COUNT(*) FILTER (WHERE ordered_on > %(baseline_start)s
                          AND ordered_on <= %(recent_start)s) AS baseline_orders,
        COALESCE(SUM(revenue) FILTER (WHERE ordered_on > %(baseline_start)s
                                       AND ordered_on <= %(recent_start)s), 0) AS baseline_revenue,
        COUNT(*) FILTER (WHERE ordered_on > %(year_start)s
                          AND (gap IS NULL OR gap > %(same_occasion)s)) AS occasions_365d,
        COUNT(gap) FILTER (WHERE gap > %(same_occasion)s) AS gap_count,
        COALESCE(SUM(gap) FILTER (WHERE gap > %(same_occasion)s), 0) AS gap_sum,
        COALESCE(SUM(gap * gap) FILTER (WHERE gap > %(same_occasion)s), 0) AS gap_sq_sum,
        COUNT(gap) FILTER (WHERE gap > %(same_occasion)s
                            AND ordered_on > %(year_start)s) AS recent_gap_count,
        COALESCE(SUM(gap) FILTER (WHERE gap > %(same_occasion)s
                                   AND ordered_on > %(year_start)s), 0) AS recent_gap_sum,
        COUNT(*) FILTER (WHERE ordered_on > %(price_start)s) AS price_window_orders,
        COUNT(*) FILTER (WHERE ordered_on > %(price_start)s AND price_compared)
          AS price_window_compared,
        COUNT(*) FILTER (WHERE ordered_on <= %(price_start)s AND price_compared)
          AS earlier_price_compared,
        MIN(ordered_on) AS first_order_on,
        MAX(ordered_on) FILTER (WHERE gap IS NULL OR gap > %(same_occasion)s)
          AS last_occasion_on{more}
      FROM ow o GROUP BY account_id
    )"""
    columns = [
        "orders_total",
        "last_order_on",
        "orders_365d",
        "revenue_12m",
        "gross_profit_12m",
        "revenue_prev_12m",
        "gross_profit_prev_12m",
        "recent_orders",
        "recent_revenue",
        "baseline_orders",
        "baseline_revenue",
        "occasions_365d",
        "gap_count",
        "gap_sum",
        "gap_sq_sum",
        "recent_gap_count",
        "recent_gap_sum",
        "price_window_orders",
        "price_window_compared",
        "earlier_price_compared",
        "first_order_on",
        "last_occasion_on",
    ]
    return Source("orders", sql, tuple(columns))


def _events_source() -> Source:
    # The latest survey's score without a second pass: MAX over (day * 16 + 15 - score) picks the
    # latest day (and, on a tie, the lower score); the score is the key's remainder.
    key = f"{_day_diff('occurred_on', '%(epoch)s')} * 16 + 15 - score"
    sql = f"""
    events AS (
      SELECT account_id,
        MAX(occurred_on) FILTER (WHERE kind = 'competitor') AS last_competitor_on,
        COUNT(*) FILTER (WHERE kind = 'competitor' AND occurred_on > %(event_start)s)
          AS competitor_events,
        COUNT(*) FILTER (WHERE kind = 'complaint' AND occurred_on > %(event_start)s) AS complaints,
        MAX(occurred_on) FILTER (WHERE kind = 'complaint') AS last_complaint_on,
        15 - MAX({key}) FILTER (WHERE kind = 'satisfaction') %% 16 AS satisfaction_score,
        MAX(occurred_on) FILTER (WHERE kind = 'satisfaction') AS satisfaction_on,
        MAX(occurred_on) FILTER (WHERE kind = 'org_change') AS org_change_on
      FROM accounts_accountevent
      WHERE account_id BETWEEN %(lo)s AND %(hi)s AND occurred_on <= %(as_of)s
      GROUP BY account_id
    )"""
    columns = (
        "last_competitor_on",
        "competitor_events",
        "complaints",
        "last_complaint_on",
        "satisfaction_score",
        "satisfaction_on",
        "org_change_on",
    )
    return Source("events", sql, columns)


# A primary contact who took over from an earlier primary: the same rule as
# Contact.objects.primary_replacements(), in SQL so that it joins the one pass.
CONTACTS_SOURCE = Source(
    "contacts",
    """
    contacts AS (
      SELECT c.account_id, MAX(c.started_on) AS primary_contact_changed_on
      FROM accounts_contact c
      WHERE c.is_primary AND c.started_on <= %(as_of)s
        AND c.account_id BETWEEN %(lo)s AND %(hi)s
        AND EXISTS (SELECT 1 FROM accounts_contact e
                    WHERE e.account_id = c.account_id AND e.is_primary AND e.id <> c.id
                      AND e.account_id BETWEEN %(lo)s AND %(hi)s
                      AND (e.started_on < c.started_on OR e.ended_on <= c.started_on))
      GROUP BY c.account_id
    )""",
    ("primary_contact_changed_on",),
)


def assessments_source(*, chunked: bool = True) -> Source:
    """Latest and previous submitted relationship score, ranked by submission time.

    Only assessments submitted before the day after the as-of date count (a bound on the
    timestamp, so the (account, status, submitted_at) index serves it); drafts never count, nor
    a submission without a score, which says nothing about the relationship.
    `chunked`: only the customers lo..hi (else every customer; the segments read it so).
    """
    chunk = "AND s.account_id BETWEEN %(lo)s AND %(hi)s" if chunked else ""
    sql = f"""
    assessments AS (
      SELECT account_id,
        MAX(score) FILTER (WHERE rn = 1) AS assessment_score,
        MAX(submitted_on) FILTER (WHERE rn = 1) AS assessment_on,
        MAX(score) FILTER (WHERE rn = 2) AS previous_assessment_score,
        MAX(submitted_on) FILTER (WHERE rn = 2) AS previous_assessment_on
      FROM (
        SELECT s.account_id, s.score, {_local_date("s.submitted_at")} AS submitted_on,
          ROW_NUMBER() OVER (PARTITION BY s.account_id
                             ORDER BY s.submitted_at DESC, s.id DESC) AS rn
        FROM assessments_assessment s
        WHERE s.status = 'submitted' AND s.score IS NOT NULL
          AND s.submitted_at < %(submitted_before)s {chunk}
      ) ranked
      WHERE rn <= 2
      GROUP BY account_id
    )"""
    columns = (
        "assessment_score",
        "assessment_on",
        "previous_assessment_score",
        "previous_assessment_on",
    )
    return Source("assessments", sql, columns)


def sources(extras: Sequence[Extra] = ()) -> list[Source]:
    return [_orders_source(extras), _events_source(), CONTACTS_SOURCE, assessments_source()]


_DEFAULTS = {f.name: f.default for f in fields(Features)}


def _select(source: str, column: str) -> str:
    """A customer missing from a source (no orders, no events) gets the field's default."""
    default = _DEFAULTS[column]
    return f"{source}.{column}" if default is None else f"COALESCE({source}.{column}, 0)"


def _extra_column(e: Extra) -> str:
    source = "orders" if isinstance(e, OrderAggregate) else f"x_{e.name}"
    return f", COALESCE({source}.{e.name}, {e.default})"


def features_sql(extras: Sequence[Extra] = ()) -> str:
    """One statement: every source's CTE, left-joined on the customer; the extras last."""
    srcs = sources(extras)
    grouped = [e for e in extras if isinstance(e, GroupedAggregate)]
    ctes = ",".join([s.sql for s in srcs] + [f"\n    x_{e.name} AS ({e.sql})" for e in grouped])
    provider = {col: s.name for s in srcs for col in s.columns}
    # Selected in the order of the Features fields, so that a row maps onto them positionally.
    cols = ", ".join(_select(provider[name], name) for name in _column_names()[1:])
    cols += "".join(_extra_column(e) for e in extras)
    names = [s.name for s in srcs] + [f"x_{e.name}" for e in grouped]
    joins = " ".join(f"LEFT JOIN {name} ON {name}.account_id = a.id" for name in names)
    return (
        f"WITH {ctes} SELECT a.id, {cols} FROM accounts_account a {joins} "
        "WHERE a.id BETWEEN %(lo)s AND %(hi)s ORDER BY a.id"
    )


def feature_params(
    *, as_of: dt.date, lo: int, hi: int, c: RiskConfig
) -> dict[str, dt.date | int | str | None]:
    recent_start = as_of - dt.timedelta(days=c.recent_days)
    return {
        "as_of": as_of,
        "lo": lo,
        "hi": hi,
        **Window(as_of).sql_params(),  # the last 12 months, and the 12 before (for extras)
        "recent_start": recent_start,
        "baseline_start": recent_start - dt.timedelta(days=c.baseline_days),
        "event_start": as_of - dt.timedelta(days=c.event_lookback_days),
        "price_start": as_of - dt.timedelta(days=PRICE_WINDOW_DAYS),
        "same_occasion": SAME_OCCASION_DAYS,
        "epoch": EPOCH,
        **assessment_params(as_of),
    }


def assessment_params(as_of: dt.date) -> dict[str, str | None]:
    """The end of the as-of day in TIME_ZONE, in the form the database stores timestamps."""
    day_after = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min)
    end = timezone.make_aware(day_after, timezone.get_default_timezone())
    return {
        "submitted_before": connection.ops.adapt_datetimefield_value(end),
        "tz": timezone.get_default_timezone_name(),
        "db_tz": connection.timezone_name,
    }


_TYPES = {f.name: str(f.type) for f in fields(Features)}


def _convert(name: str, value: object) -> object:
    """SQLite hands back dates as text and sums as floats; make both look like PostgreSQL's."""
    kind = _TYPES[name]
    if "date" in kind and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if "Decimal" in kind and not isinstance(value, Decimal):
        # Sums of money in floats (122386.42999999998): back to the cents PostgreSQL gives, so
        # that what is learned from them is the same on both (every Decimal here is money or
        # a one-decimal score).
        return Decimal(str(value)).quantize(CENT)
    if "int" in kind and isinstance(value, float | str | Decimal):
        return int(value)
    if "float" in kind and isinstance(value, int | str | Decimal):
        return float(value)
    return value


# Left to itself, PostgreSQL 15 reads a chunk through the (account) index and sorts each customer's
# orders by date (an incremental sort, about a tenth of the query); with incremental sort off it
# reads the (account, date) index, already in window order. JIT, off for the portal's connections
# (settings), pays for itself on this long query. Measured in bench/nightly.py.
PLANNER_SETTINGS = ("SET LOCAL enable_incremental_sort = off", "SET LOCAL jit = on")


def _features_from_row(names: list[str], row: tuple) -> Features:
    """A frozen Features without its __init__, which sets each of the fields one by one.

    Equal to Features(*row); about three times faster, which counts at 100,000 customers a night.
    """
    f = object.__new__(Features)
    f.__dict__.update(zip(names, row, strict=True))
    return f


def _sqlite_row(names: list[str], row: tuple) -> Features:
    values: dict[str, Any] = {
        n: _convert(n, v) for n, v in zip(names, row, strict=True) if v is not None
    }
    return Features(**values)


def _column_names() -> list[str]:
    return [f.name for f in fields(Features)]


def customer_features(
    *, as_of: dt.date, lo: int, hi: int, c: RiskConfig, batch: int = 2000
) -> Iterator[Features]:
    """Features of every customer with `lo <= id <= hi`, streamed in id order."""
    for f, _ in customer_features_with((), as_of=as_of, lo=lo, hi=hi, c=c, batch=batch):
        yield f


def customer_features_with(
    extras: Sequence[Extra],
    *,
    as_of: dt.date,
    lo: int,
    hi: int,
    c: RiskConfig,
    batch: int = 2000,
) -> Iterator[tuple[Features, tuple]]:
    """`customer_features`, each with the values of `extras` (a tuple in their order), from
    the same pass over the orders."""
    names = _column_names()
    width = len(names)
    # PostgreSQL returns dates, Decimals and ints already, in field order: no conversion.
    native = connection.vendor == "postgresql"
    # A transaction only to scope the planner setting to this query (SET LOCAL).
    with transaction.atomic(), connection.cursor() as cursor:
        if native:
            for setting in PLANNER_SETTINGS:
                cursor.execute(setting)
        cursor.execute(features_sql(extras), feature_params(as_of=as_of, lo=lo, hi=hi, c=c))
        make = _features_from_row if native else _sqlite_row
        while rows := cursor.fetchmany(batch):
            for row in rows:
                yield make(names, row[:width]), row[width:]
