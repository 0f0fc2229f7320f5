"""Segment measures of every active customer in one set-based statement, as of a date.

One aggregate pass over two years of orders (12-month revenue, gross profit, orders, the months
with orders, and the 12 months before for growth), one over the last year's product categories
(what the customer's industry peers buy and it does not), the churn snapshot of the same run
(its flags, the relationship assessment's among them, are defend evidence), and window
functions for the percentiles: CUME_DIST of each measure among active customers, the weighted
score, and CUME_DIST of the score.

Runs on PostgreSQL (the reference) and SQLite >= 3.30 (`make run`); the few differences are in
`_months_ordered`, `_missing_agg`, `_day_diff`, `_defend_flags` and the stage rows' JSON.

In the nightly run, the order measures come out of the churn features' pass over each chunk's
orders (`stage_aggregates`, `stage_row`: one SegmentMeasureStage row per customer) and the final
step reads those rows (`measures_sql(..., staged=True)`); the preview, which has no chunks,
reads the orders. Both give the same measures.
"""

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from accounts.periods import Window, growth_pct_sql
from segmentation.churn.features import GroupedAggregate, OrderAggregate
from segmentation.churn.rules import Features, RiskResult
from segmentation.churn.scoring import Scored
from segmentation.segments.decision import MEASURES, DecisionModel
from segmentation.segments.rules import DEFEND_FLAGS, Measures, SegmentConfig

CENT = Decimal("0.01")
ZERO = Decimal(0).quantize(CENT)
# The SQL column each decision-model measure is ranked on. Unknown growth or margin (no revenue
# to compare with) ranks lowest.
RANKED = {
    "revenue_12m": "revenue_12m",
    "gross_profit_12m": "gross_profit_12m",
    "regularity": "months_ordered",
    "yoy_growth": "COALESCE(yoy_growth, -1e9)",
    "gross_margin": "COALESCE(gross_margin, -1e9)",
    "orders_12m": "orders_12m",
}


def _day_diff(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _bucket() -> str:
    """Which 12th of the year before as-of an order falls in: 0 (latest) to 11."""
    return f"({_day_diff('%(as_of)s', 'o.ordered_on')} * 12 / %(year_days)s)"


def _months_ordered() -> str:
    """Months of the last 12 with an order: a bit per month on PostgreSQL (BIT_OR keeps the
    aggregate a hash aggregate, no sort), COUNT(DISTINCT) on SQLite (no BIT_OR there)."""
    if connection.vendor == "postgresql":
        bits = f"BIT_OR(1 << {_bucket()}) FILTER (WHERE o.ordered_on > %(year_start)s)"
        return f"COALESCE(BIT_COUNT(({bits})::bit(12)), 0)"
    return f"COUNT(DISTINCT CASE WHEN o.ordered_on > %(year_start)s THEN {_bucket()} END)"


def _ord_cte() -> str:
    """One aggregate pass over two years of orders per customer."""
    return f"""
    ord AS (
      SELECT o.account_id,
        COALESCE(SUM(o.revenue) FILTER (WHERE o.ordered_on > %(year_start)s), 0) AS revenue_12m,
        COALESCE(SUM(o.gross_profit) FILTER (WHERE o.ordered_on > %(year_start)s), 0)
          AS gross_profit_12m,
        COALESCE(SUM(o.revenue) FILTER (WHERE o.ordered_on <= %(year_start)s), 0)
          AS revenue_prev_12m,
        COUNT(*) FILTER (WHERE o.ordered_on > %(year_start)s) AS orders_12m,
        {_months_ordered()} AS months_ordered
      FROM accounts_order o
      WHERE o.ordered_on > %(prev_start)s AND o.ordered_on <= %(as_of)s
      GROUP BY o.account_id
    )"""


def _orders_ctes() -> str:
    """The order pass, and the distinct product categories each customer bought in the last
    12 months (grouping the first pass by category as well triples its cost on PostgreSQL
    over the whole table; a second, narrow pass is cheaper); the run's churn snapshots."""
    return f"""{_ord_cte()},
    risk AS (
      SELECT account_id, {_defend_flags()} AS flags, level, score, probability, expected_loss
      FROM segmentation_risksnapshot WHERE run_id = %(run_id)s
    ),
    cats AS (
      SELECT o.account_id, o.product_category AS category, SUM(o.revenue) AS revenue
      FROM accounts_order o
      WHERE o.ordered_on > %(year_start)s AND o.ordered_on <= %(as_of)s
        AND o.product_category <> ''
      GROUP BY o.account_id, o.product_category
    )"""


def _missing_agg() -> str:
    if connection.vendor == "postgresql":
        return "STRING_AGG(cm.category, '|' ORDER BY cm.category)"
    return "GROUP_CONCAT(cm.category, '|')"


def _categories_ctes() -> str:
    """Categories bought in the last 12 months by at least peer_share_pct of an industry's
    active customers (an industry of at least min_peers) that this customer did not buy, and
    what they are worth: the median revenue 12 months of the peers that buy each, summed over
    the categories it misses (the grow segment's value when no potential is recorded). The
    median from row numbers (SQLite has no PERCENTILE_CONT): the middle row, or the mean of the
    middle two."""
    return f"""
    ind AS (
      SELECT industry, COUNT(*) AS peers FROM acc WHERE industry <> '' GROUP BY industry
    ),
    common AS (
      SELECT a.industry, c.category, MAX(ind.peers) AS peers
      FROM cats c JOIN acc a ON a.id = c.account_id JOIN ind ON ind.industry = a.industry
      WHERE ind.peers >= %(min_peers)s
      GROUP BY a.industry, c.category
      HAVING COUNT(*) * 100 >= %(peer_share)s * MAX(ind.peers)
    ),
    peer_revenue AS (
      SELECT cm.industry, cm.category, c.revenue,
        ROW_NUMBER() OVER (PARTITION BY cm.industry, cm.category ORDER BY c.revenue) AS rn,
        COUNT(*) OVER (PARTITION BY cm.industry, cm.category) AS n
      FROM common cm JOIN acc a ON a.industry = cm.industry
        JOIN cats c ON c.account_id = a.id AND c.category = cm.category
    ),
    medians AS (
      SELECT industry, category, AVG(revenue) AS median_revenue FROM peer_revenue
      WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
      GROUP BY industry, category
    ),
    missing AS (
      SELECT a.id AS account_id, {_missing_agg()} AS categories, MAX(cm.peers) AS peers,
        SUM(md.median_revenue) AS missing_revenue
      FROM acc a JOIN common cm ON cm.industry = a.industry
        JOIN medians md ON md.industry = cm.industry AND md.category = cm.category
      WHERE NOT EXISTS (
        SELECT 1 FROM cats c WHERE c.account_id = a.id AND c.category = cm.category)
      GROUP BY a.id
    )"""


STAGE_TABLE = "segmentation_segmentmeasurestage"
STAGE_COLUMNS = (
    "run_id", "account_id", "revenue_12m", "gross_profit_12m", "revenue_prev_12m", "orders_12m",
    "months_ordered", "categories", "churn_level", "churn_score", "churn_flags",
    "churn_probability", "churn_expected_loss",
)  # fmt: skip


def _category_revenue() -> str:
    """Each customer's revenue 12 months per product category, as a JSON object (text): a
    narrow second read of the chunk's last year of orders, grouped by category (grouping the
    window pass by category would multiply its rows)."""
    json_object = "JSON_OBJECT_AGG" if connection.vendor == "postgresql" else "JSON_GROUP_OBJECT"
    cast = "::text" if connection.vendor == "postgresql" else ""
    return f"""
      SELECT account_id, {json_object}(product_category, revenue){cast} AS categories
      FROM (
        SELECT o.account_id, o.product_category, SUM(o.revenue) AS revenue
        FROM accounts_order o
        WHERE o.account_id BETWEEN %(lo)s AND %(hi)s AND o.ordered_on > %(year_start)s
          AND o.ordered_on <= %(as_of)s AND o.product_category <> ''
        GROUP BY o.account_id, o.product_category
      ) per_category
      GROUP BY account_id"""


def stage_aggregates() -> tuple[OrderAggregate | GroupedAggregate, ...]:
    """What the segment measures need from the orders beyond the churn features (which give
    12-month revenue, gross profit and orders, and the revenue of the 12 months before),
    computed in the churn features' statement over a chunk's orders
    (`churn.features.customer_features_with`)."""
    return (
        OrderAggregate("months_ordered", _months_ordered(), "0"),
        GroupedAggregate("categories", _category_revenue(), "'{}'"),
    )


def stage_row(run_id: int, f: Features, extras: tuple, risk: RiskResult, scored: Scored) -> tuple:
    """One customer's stage row (STAGE_COLUMNS) from its churn features, `stage_aggregates` and
    its churn result (the rules' flags, of which only those that are defend evidence are kept,
    and the level the run's scorer gave)."""
    months_ordered, categories = extras
    defend = [flag.as_json() for flag in risk.flags if flag.code in DEFEND_FLAGS]
    return (
        run_id, f.account_id, f.revenue_12m, f.gross_profit_12m, f.revenue_prev_12m,
        f.orders_365d, months_ordered, categories or "{}", scored.level, risk.score,
        json.dumps(defend) if defend else "", scored.probability, scored.expected_loss,
    )  # fmt: skip


def _category_rows() -> str:
    """The staged {category: revenue} object as rows (key, value)."""
    if connection.vendor == "postgresql":
        return "CROSS JOIN LATERAL JSON_EACH_TEXT(st.categories::json) AS c(key, value)"
    return ", JSON_EACH(st.categories) AS c"


def _category_revenue_value() -> str:
    return "c.value::numeric" if connection.vendor == "postgresql" else "c.value"


def _staged_ctes() -> str:
    """`ord`, `cats`, `asm` and `risk` as `_orders_ctes` makes them, read from the run's stage
    rows."""
    return f"""
    st AS (SELECT * FROM {STAGE_TABLE} WHERE run_id = %(run_id)s),
    ord AS (
      SELECT account_id, revenue_12m, gross_profit_12m, revenue_prev_12m, orders_12m,
        months_ordered
      FROM st
    ),
    cats AS (
      SELECT st.account_id, c.key AS category, {_category_revenue_value()} AS revenue
      FROM st {_category_rows()}
    ),
    risk AS (
      SELECT account_id, churn_flags AS flags, churn_level AS level, churn_score AS score,
        churn_probability AS probability, churn_expected_loss AS expected_loss
      FROM st
    )"""


def weighted_measures(model: DecisionModel) -> list[str]:
    """Only weighted measures are ranked: each rank is a sort of the whole base."""
    return [m for m in MEASURES if model.weights.get(m, 0) > 0]


def _ranked_ctes(model: DecisionModel) -> str:
    weighted = weighted_measures(model)
    cume = "".join(f", CUME_DIST() OVER (ORDER BY {RANKED[m]}) AS p_{m}" for m in weighted)
    total = sum(model.weights[m] for m in weighted) or 1
    score = " + ".join(f"{model.weights[m] / total!r} * p_{m}" for m in weighted) or "0"
    return f"""
    base AS (
      SELECT a.id, a.owner_id, a.purchasing_potential,
        COALESCE(o.revenue_12m, 0) AS revenue_12m,
        COALESCE(o.gross_profit_12m, 0) AS gross_profit_12m,
        COALESCE(o.revenue_prev_12m, 0) AS revenue_prev_12m,
        COALESCE(o.orders_12m, 0) AS orders_12m,
        COALESCE(o.months_ordered, 0) AS months_ordered,
        {growth_pct_sql("o.revenue_12m", "o.revenue_prev_12m")} AS yoy_growth,
        CASE WHEN o.revenue_12m > 0 THEN o.gross_profit_12m * 100.0 / o.revenue_12m END
          AS gross_margin
      FROM acc a LEFT JOIN ord o ON o.account_id = a.id
    ),
    margined AS (
      SELECT base.*,
        SUM(gross_profit_12m) OVER () * 1.0 / NULLIF(SUM(revenue_12m) OVER (), 0)
          AS portfolio_margin
      FROM base
    ),
    ranked AS (SELECT margined.*{cume} FROM margined),
    scored AS (SELECT ranked.*, ({score}) AS score FROM ranked),
    final AS (SELECT scored.*, CUME_DIST() OVER (ORDER BY score) AS score_pct FROM scored)"""


def measures_sql(model: DecisionModel, *, staged: bool = False) -> str:
    """`staged`: the run's chunks have written each customer's order measures to stage rows;
    read those instead of the orders."""
    pcols = "".join(f", f.p_{m}" for m in weighted_measures(model))
    return f"""
    WITH acc AS (
      SELECT id, owner_id, industry, purchasing_potential
      FROM accounts_account WHERE status = 'active'
    ),
    {_staged_ctes() if staged else _orders_ctes()},
    {_categories_ctes()},
    {_ranked_ctes(model)}
    SELECT f.id, f.owner_id, f.revenue_12m, f.gross_profit_12m, f.revenue_prev_12m,
      f.orders_12m, f.months_ordered, f.purchasing_potential, f.score_pct,
      mi.categories, mi.peers, s.flags, s.level, s.score, mi.missing_revenue, s.probability,
      s.expected_loss, f.portfolio_margin{pcols}
    FROM final f
    LEFT JOIN missing mi ON mi.account_id = f.id
    LEFT JOIN risk s ON s.account_id = f.id
    ORDER BY f.owner_id, f.id"""


def _defend_flags() -> str:
    """The run's churn flags that are defend evidence. PostgreSQL drops the others in SQL (a
    cheap JSON path; less JSON to send and decode), SQLite in `_flags`."""
    if connection.vendor != "postgresql":
        return "flags"
    test = " || ".join(f'@.code == "{code}"' for code in DEFEND_FLAGS)
    return f"JSONB_PATH_QUERY_ARRAY(flags, '$[*] ? ({test})')"


def measure_params(
    *, as_of: dt.date, run_id: int | None, c: SegmentConfig
) -> dict[str, dt.date | int]:
    return {
        "as_of": as_of,
        **Window(as_of).sql_params(),
        "min_peers": c.min_peers,
        "peer_share": c.peer_share_pct,
        "run_id": run_id if run_id is not None else -1,
    }


def _decimal(value: Any) -> Decimal:
    """SQLite sums money as floats (106505.05999999998): back to cents."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(CENT)


def _cents(value: Any) -> Decimal:
    """A mean (the median of an even count) to cents, on PostgreSQL and SQLite alike."""
    return Decimal(str(value)).quantize(CENT)


def _flags(value: Any) -> dict[str, dict[str, Any]]:
    if not value:  # no churn result, or (staged) no defend flag: most customers
        return {}
    if isinstance(value, str):  # staged flags, and SQLite's JSON, arrive as text
        # Only the defend flags matter here: skip decoding the rest (most customers).
        if not any(code in value for code in DEFEND_FLAGS):
            return {}
        value = json.loads(value)
    return {f["code"]: f["evidence"] for f in value or [] if f["code"] in DEFEND_FLAGS}


def _row_measures(row: tuple, weighted: list[str]) -> Measures:
    (pk, owner, rev, gp, prev, orders, months, potential, score_pct, cats, peers, flags,
     level, churn_score, missing_revenue, probability, loss, margin, *pcts) = row  # fmt: skip
    return Measures(
        account_id=pk,
        owner_id=owner,
        revenue_12m=_decimal(rev),
        gross_profit_12m=_decimal(gp),
        revenue_prev_12m=_decimal(prev),
        orders_12m=int(orders),
        months_ordered=int(months),
        purchasing_potential=None if potential is None else _decimal(potential),
        percentiles=dict(zip(weighted, pcts, strict=True)),
        score_percentile=score_pct,
        missing_categories=tuple(sorted(cats.split("|"))) if cats else (),
        peers=peers or 0,
        risk_flags=_flags(flags),
        churn_level=level,
        churn_score=None if churn_score is None else Decimal(str(churn_score)),
        churn_probability=None if probability is None else Decimal(str(probability)),
        churn_expected_loss=ZERO if loss is None else _decimal(loss),
        missing_revenue=ZERO if missing_revenue is None else _cents(missing_revenue),
        portfolio_margin=None if margin is None else Decimal(str(round(float(margin), 6))),
    )


def _tune_session() -> None:
    """For this transaction only: no JIT (its compile time exceeds the query's gain here) and
    enough sort memory for the window functions to rank 100,000 customers in memory."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
            # The whole result is read: plan for all rows, not for the cursor's first ones.
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")


def customer_measures(
    *,
    as_of: dt.date,
    run_id: int | None,
    c: SegmentConfig,
    model: DecisionModel,
    staged: bool = False,
    batch: int = 5000,
) -> Iterator[Measures]:
    """Measures of every active customer, streamed by account manager, then id.

    A server-side cursor on PostgreSQL, so memory stays flat; between two batches the caller
    may use the connection (the nightly run writes each batch with COPY).
    """
    weighted = weighted_measures(model)
    with transaction.atomic():
        _tune_session()
        with connection.chunked_cursor() as cursor:
            sql = measures_sql(model, staged=staged)
            cursor.execute(sql, measure_params(as_of=as_of, run_id=run_id, c=c))
            while rows := cursor.fetchmany(batch):
                yield from [_row_measures(row, weighted) for row in rows]
