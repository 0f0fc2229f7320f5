"""Goal progress from the real orders: one set-based statement reads what every measured goal
needs, the pure rules (plans/progress.py) decide, and the results are written in bulk.

Why the orders and not the monthly rollup (accounts.AccountMonth): "so far" ends on the run's
date, in the middle of a month, and a goal's period may start on any day, so the rollup alone
cannot give it; each goal reads only its own account's orders in its own period through the
(account, order date) index, a few rows per goal rather than a pass over the orders table.

`goal_progress_step` is one of the nightly run's final steps (settings.NIGHTLY_FINAL_STEPS): it
runs inside the transaction that publishes the run, so a failed run leaves the progress as it
was. `goal_progress_refresh` also measures a goal the moment it is added or changed.
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from accounts.models import Order
from plans.enums import AMOUNT_KINDS, MEASURED_KINDS, GoalKind
from plans.models import PROGRESS_FIELDS, Goal, GrowthPlan
from plans.progress import Progress, amount_progress, category_progress
from segmentation.models import NightlyRun

CENT = Decimal("0.01")
WRITE_BATCH = 1_000

# Per measured goal: the revenue or gross profit of its account's orders from its start to the
# earlier of its end and the as-of date; for a category goal, the first order (a sale, not a
# return) in its category, compared without case and surrounding spaces, from its start to the
# as-of date. CASE rather than LEAST/FILTER: the same text runs on SQLite (`make run`).
PROGRESS_SQL = f"""
SELECT g.id, g.kind, g.target, g.starts_on, g.ends_on,
       COALESCE(SUM(CASE WHEN g.kind = '{GoalKind.REVENUE}' THEN o.revenue
                         WHEN g.kind = '{GoalKind.GROSS_PROFIT}' THEN COALESCE(o.gross_profit, 0)
                    END), 0) AS amount,
       MIN(CASE WHEN g.kind = '{GoalKind.CATEGORY}' THEN o.ordered_on END) AS first_order_on
FROM {Goal._meta.db_table} g
JOIN {GrowthPlan._meta.db_table} p ON p.id = g.plan_id
LEFT JOIN {Order._meta.db_table} o
  ON o.account_id = p.account_id
 AND o.ordered_on >= g.starts_on
 AND o.ordered_on <= CASE WHEN g.kind <> '{GoalKind.CATEGORY}' AND g.ends_on < %(as_of)s
                          THEN g.ends_on ELSE %(as_of)s END
 AND (g.kind <> '{GoalKind.CATEGORY}'
      OR (o.revenue > 0 AND LOWER(TRIM(o.product_category)) = LOWER(TRIM(g.category))))
WHERE g.kind IN ({", ".join(f"'{kind}'" for kind in MEASURED_KINDS)}) {{only}}
GROUP BY g.id, g.kind, g.target, g.starts_on, g.ends_on
"""


@dataclass(frozen=True)
class GoalFigures:
    """What the statement reads for one measured goal."""

    goal_id: int
    kind: str
    target: Decimal | None
    starts_on: dt.date
    ends_on: dt.date
    amount: Decimal
    first_order_on: dt.date | None


def measured_goals(*, as_of: dt.date, goal_ids: Collection[int] | None = None) -> list[GoalFigures]:
    """The figures of every measured goal, or of those of `goal_ids`, as of `as_of`: one
    statement."""
    params: dict[str, Any] = {"as_of": as_of}
    only = ""
    if goal_ids is not None:
        params |= {f"id{i}": pk for i, pk in enumerate(goal_ids)}
        marks = ", ".join(f"%(id{i})s" for i in range(len(goal_ids))) or "NULL"
        only = f"AND g.id IN ({marks})"
    with connection.cursor() as cursor:
        cursor.execute(PROGRESS_SQL.format(only=only), params)
        rows = cursor.fetchall()
    return [
        GoalFigures(
            goal_id=pk,
            kind=kind,
            target=None if target is None else _decimal(target),
            starts_on=_date(starts_on),
            ends_on=_date(ends_on),
            amount=_decimal(amount),
            first_order_on=_date(first) if first is not None else None,
        )
        for pk, kind, target, starts_on, ends_on, amount, first in rows
    ]


def _decimal(value: Any) -> Decimal:
    """SQLite sums decimals as floats: back to cents."""
    return Decimal(str(value)).quantize(CENT)


def _date(value: Any) -> dt.date:
    return (
        value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    )  # SQLite: text


def progress_of(figures: GoalFigures, *, as_of: dt.date) -> Progress:
    """The pure rule for one goal, given what the statement read for it."""
    if figures.kind in AMOUNT_KINDS:
        if figures.target is None:
            raise ValueError(f"Goal {figures.goal_id} has no target.")  # a constraint holds it
        return amount_progress(
            target=figures.target,
            starts_on=figures.starts_on,
            ends_on=figures.ends_on,
            amount=figures.amount,
            as_of=as_of,
        )
    return category_progress(
        starts_on=figures.starts_on,
        ends_on=figures.ends_on,
        first_order_on=figures.first_order_on,
        as_of=as_of,
    )


# A goal's id and its new progress, in PROGRESS_FIELDS' order (plain tuples: building 60,000
# model instances took longer than reading the orders).
ProgressRow = tuple[
    int, Decimal | None, Decimal | None, Decimal | None, str, dt.date | None, dt.date
]


def progress_row(figures: GoalFigures, *, as_of: dt.date) -> ProgressRow:
    """What is stored for one goal: its id, then the progress fields."""
    progress = progress_of(figures, as_of=as_of)
    amount = figures.amount if figures.kind in AMOUNT_KINDS else None
    return (
        figures.goal_id,
        amount,
        progress.share_pct,
        progress.expected_share_pct,
        progress.state,
        progress.met_on,
        as_of,
    )


def goal_progress_refresh(*, as_of: dt.date, goal_ids: Collection[int] | None = None) -> int:
    """Measure every measured goal (or those of `goal_ids`) as of `as_of` and store the results
    in bulk, in the caller's transaction; returns how many goals were measured."""
    rows = [progress_row(f, as_of=as_of) for f in measured_goals(as_of=as_of, goal_ids=goal_ids)]
    if connection.vendor == "postgresql":
        _write_unnested(rows)
    else:  # SQLite (`make run`): a demo's goals
        goals = [
            Goal(pk=row[0], **dict(zip(PROGRESS_FIELDS, row[1:], strict=True))) for row in rows
        ]
        Goal.objects.bulk_update(goals, PROGRESS_FIELDS, batch_size=WRITE_BATCH)
    return len(rows)


# One UPDATE for every goal, its new values passed as one array per column. Django's
# bulk_update writes CASE WHEN id = ... per row and field, which took a minute for 60,000 goals.
# One PostgreSQL type per progress field, in PROGRESS_FIELDS' order (a test holds them equal).
COLUMN_TYPES = {
    "amount_so_far": "numeric",
    "share_pct": "numeric",
    "expected_share_pct": "numeric",
    "state": "text",
    "met_on": "date",
    "progress_as_of": "date",
}
UNNESTED_UPDATE = f"""
UPDATE {Goal._meta.db_table} g
SET {", ".join(f"{name} = v.{name}" for name in COLUMN_TYPES)}
FROM unnest(%s::bigint[], {", ".join(f"%s::{kind}[]" for kind in COLUMN_TYPES.values())})
     AS v(id, {", ".join(COLUMN_TYPES)})
WHERE g.id = v.id
"""


def _write_unnested(rows: list[ProgressRow]) -> None:
    if not rows:
        return
    columns = [list(column) for column in zip(*rows, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(UNNESTED_UPDATE, columns)


def goal_progress_step(run: NightlyRun) -> None:
    """The nightly run's final step: every goal's progress as of the run's date. A rerun of an
    earlier night (a later run is already complete) leaves the newer progress alone."""
    if NightlyRun.objects.complete().filter(as_of__gt=run.as_of).exists():
        return
    goal_progress_refresh(as_of=run.as_of)
