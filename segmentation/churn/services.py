"""Writes of churn risk: the model version a nightly run fits, and the snapshots it stores per
customer.

The pipeline (segmentation/pipeline.py) calls these inside its transactions; nothing here
decides anything (the rules do) or reads the orders (the features do).
"""

import datetime as dt
import json

from kam_portal.bulk import copy_rows
from segmentation.churn.fitting import FitResult, repeat_buying_json
from segmentation.churn.models import RiskModelVersion, RiskSnapshot
from segmentation.churn.rules import Features, RiskConfig, RiskResult
from segmentation.churn.scoring import Scored
from segmentation.models import NightlyRun

SNAPSHOT_COLUMNS = (
    "run_id",
    "account_id",
    "score",
    "probability",
    "level",
    "flags",
    "expected_loss",
    "expected_occasions",
    "usual_occasions",
    "revenue_12m",
    "gross_profit_12m",
    "revenue_prev_12m",
    "gross_profit_prev_12m",
    "assessment_score",
)


def snapshot_row(run_id: int, f: Features, result: RiskResult, scored: Scored) -> tuple:
    """One customer's snapshot, in SNAPSHOT_COLUMNS order, for `risk_snapshots_replace`."""
    return (
        run_id,
        f.account_id,
        result.score,
        scored.probability,
        scored.level,
        json.dumps(scored.flags) if scored.flags else "[]",
        scored.expected_loss,
        scored.expected_occasions,
        scored.usual_occasions,
        f.revenue_12m,
        f.gross_profit_12m,
        f.revenue_prev_12m,
        f.gross_profit_prev_12m,
        f.assessment_score,
    )


def risk_model_version_create(
    *,
    run: NightlyRun,
    config: RiskConfig,
    lookback_as_of: dt.date,
    result: FitResult,
    seconds: float,
) -> RiskModelVersion:
    """Keep what the run learned and which scorer it chose; its chunks read it back."""
    comparison = result.comparison
    RiskModelVersion.objects.filter(run=run).delete()  # a retried first step replaces its own
    return RiskModelVersion.objects.create(
        run=run,
        as_of=run.as_of,
        lookback_as_of=lookback_as_of,
        horizon_days=config.horizon_days,
        customers=result.customers,
        lost=result.lost,
        coefficients=result.model.to_json() if result.model else None,
        comparison=comparison.as_json() if comparison else None,
        learned_auc=comparison.learned.auc if comparison else None,
        learned_brier=comparison.learned.brier if comparison else None,
        hand_auc=comparison.hand.auc if comparison else None,
        hand_brier=comparison.hand.brier if comparison else None,
        repeat_buying=repeat_buying_json(result.repeat_buying),
        pin=config.scorer_pin,
        minimum_lost=config.minimum_lost,
        scorer=result.choice.scorer,
        reason=result.choice.reason,
        reason_numbers=dict(result.choice.numbers),
        fit_seconds=round(seconds, 3),
    )


def risk_snapshots_replace(*, run: NightlyRun, lo: int, hi: int, rows: list[tuple]) -> None:
    """Store the snapshots of customers lo..hi, replacing those of an earlier try."""
    RiskSnapshot.objects.filter(run=run, account_id__gte=lo, account_id__lte=hi).delete()
    copy_rows(RiskSnapshot._meta.db_table, SNAPSHOT_COLUMNS, rows)


def risk_snapshots_delete(*, run_id: int) -> None:
    RiskSnapshot.objects.filter(run_id=run_id).delete()
