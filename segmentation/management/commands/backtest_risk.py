"""`python manage.py backtest_risk --as-of DATE --horizon-days N [--tune]`.

Prints how the current hand weights rank the customers, then four scorers side by side on the
same customers (hand weights, the learned model, the repeat-buying expectation alone, plain
days since the last order): AUC, precision and recall at 10% and 20%, Brier score."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Account
from segmentation.churn.backtest import (
    BacktestResult,
    Sample,
    ScorerFigures,
    backtest_samples,
    measure,
    scorer_table,
    tune_weights,
)
from segmentation.churn.learning import DEFAULT_FOLDS
from segmentation.churn.lookback import lookback_read
from segmentation.churn.rules import RiskConfig
from segmentation.churn.selectors import risk_config_get
from segmentation.churn.synthetic import is_synthetic
from segmentation.management.commands.run_nightly import iso_date
from segmentation.pipeline import account_id_ranges

SCORER_NAMES = {
    "hand": "hand weights (score / 100)",
    "learned": "learned model (held out)",
    "repeat_buying": "repeat buying alone",
    "days_since_last_order": "days since the last order",
}


def report(result: BacktestResult) -> str:
    lines = [
        f"customers active in the year before: {result.customers}; "
        f"lost (no order in the horizon): {result.lost}",
        f"ROC AUC: {result.auc:.3f}",
    ]
    for top in result.top:
        lines.append(f"top {top.share:.0%}: precision {top.precision:.3f}, recall {top.recall:.3f}")
    return "\n".join(lines)


def side_by_side(table: list[ScorerFigures]) -> str:
    lines = [f"{'scorer':<28} {'AUC':>6} {'P@10%':>6} {'R@10%':>6} {'P@20%':>6} {'R@20%':>6} "
             f"{'Brier':>6}"]  # fmt: skip
    for row in table:
        tops = " ".join(f"{t.precision:>6.3f} {t.recall:>6.3f}" for t in row.top)
        lines.append(f"{SCORER_NAMES[row.scorer]:<28} {row.auc:>6.3f} {tops} {row.brier:>6.3f}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Score customers as of DATE, label as lost those with no order in (DATE, DATE+N], "
        "and print how well the score ranks them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, help="YYYY-MM-DD")
        parser.add_argument("--horizon-days", type=int, default=90)
        parser.add_argument(
            "--tune",
            action="store_true",
            help=(
                "Also search the order-history weights that rank best at DATE, DATE-90 and "
                "DATE-180, demo customers and the others counted as separate histories."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = iso_date(str(options["as_of"]))
        horizon = int(options["horizon_days"])
        if horizon < 1:
            raise CommandError("--horizon-days must be at least 1.")
        config = risk_config_get()
        samples = backtest_samples(as_of=as_of, horizon_days=horizon, config=config)
        try:
            result = measure(samples, config.weights)
        except ValueError as exc:
            raise CommandError(f"Cannot backtest as of {as_of}: {exc}") from None
        self.stdout.write(f"As of {as_of}, horizon {horizon} days, current weights")
        self.stdout.write(report(result))
        self._side_by_side(as_of, horizon, config)
        if options["tune"]:
            self._tune(as_of, horizon, config.weights, samples)

    def _side_by_side(self, as_of: dt.date, horizon: int, config: RiskConfig) -> None:
        lookback, _ = lookback_read(
            as_of=as_of, horizon_days=horizon, config=config, ranges=account_id_ranges()
        )
        lost = int(lookback.lost.sum())
        if min(lost, len(lookback.lost) - lost) < DEFAULT_FOLDS:
            self.stdout.write(
                f"Side by side: needs at least {DEFAULT_FOLDS} lost and {DEFAULT_FOLDS} kept "
                "customers to hold each out of the learned model's fit."
            )
            return
        self.stdout.write(
            f"Side by side, the same {len(lookback.lost)} customers ({lost} lost), "
            f"{DEFAULT_FOLDS}-fold held out:"
        )
        self.stdout.write(side_by_side(scorer_table(lookback, config.weights)))

    def _tune(self, as_of: dt.date, horizon: int, weights: dict, samples: list) -> None:
        config = risk_config_get()
        dates = [samples] + [
            backtest_samples(
                as_of=as_of - dt.timedelta(days=d), horizon_days=horizon, config=config
            )
            for d in (90, 180)
        ]
        sets = [part for date_samples in dates for part in split_by_kind(date_samples) if part]
        best = tune_weights(sets, weights)
        self.stdout.write(
            f"Searched over {len(sets)} sample sets: "
            + ", ".join(f"{k}={v}" for k, v in best.items())
        )
        self.stdout.write(report(measure(samples, best)))


def split_by_kind(samples: list[Sample]) -> tuple[list[Sample], list[Sample]]:
    """The synthetic histories (`seed_churn_histories`) apart from the rest (the demo, or real
    customers), so that neither history dominates."""
    synthetic_ids = {
        pk
        for pk, external_id in Account.objects.values_list("pk", "external_id")
        if is_synthetic(external_id)
    }
    return (
        [s for s in samples if s.account_id not in synthetic_ids],
        [s for s in samples if s.account_id in synthetic_ids],
    )
