"""Writes of churn risk: the snapshots a nightly run stores per customer.

The pipeline (segmentation/pipeline.py) calls these inside its transactions; nothing here
decides anything (the rules do) or reads the orders (the features do).
"""

import json

from kam_portal.bulk import copy_rows
from segmentation.churn.models import RiskSnapshot
from segmentation.churn.rules import Features, RiskResult
from segmentation.models import NightlyRun

SNAPSHOT_COLUMNS = (
    "run_id",
    "account_id",
    "score",
    "level",
    "flags",
    "revenue_12m",
    "gross_profit_12m",
    "revenue_prev_12m",
    "gross_profit_prev_12m",
    "assessment_score",
)


def snapshot_row(run_id: int, f: Features, result: RiskResult) -> tuple:
    """One customer's snapshot, in SNAPSHOT_COLUMNS order, for `risk_snapshots_replace`."""
    flags = json.dumps([flag.as_json() for flag in result.flags]) if result.flags else "[]"
    return (
        run_id,
        f.account_id,
        result.score,
        result.level,
        flags,
        f.revenue_12m,
        f.gross_profit_12m,
        f.revenue_prev_12m,
        f.gross_profit_prev_12m,
        f.assessment_score,
    )


def risk_snapshots_replace(*, run: NightlyRun, lo: int, hi: int, rows: list[tuple]) -> None:
    """Store the snapshots of customers lo..hi, replacing those of an earlier try."""
    RiskSnapshot.objects.filter(run=run, account_id__gte=lo, account_id__lte=hi).delete()
    copy_rows(RiskSnapshot._meta.db_table, SNAPSHOT_COLUMNS, rows)


def risk_snapshots_delete(*, run_id: int) -> None:
    RiskSnapshot.objects.filter(run_id=run_id).delete()
