"""`python manage.py backtest_risk --as-of DATE --horizon-days N [--tune]`."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Account
from segmentation.churn.backtest import (
    BacktestResult,
    Sample,
    backtest_samples,
    measure,
    tune_weights,
)
from segmentation.churn.selectors import risk_config_get
from segmentation.churn.synthetic import is_synthetic
from segmentation.management.commands.run_nightly import iso_date


def report(result: BacktestResult) -> str:
    lines = [
        f"customers active in the year before: {result.customers}; "
        f"lost (no order in the horizon): {result.lost}",
        f"ROC AUC: {result.auc:.3f}",
    ]
    for top in result.top:
        lines.append(f"top {top.share:.0%}: precision {top.precision:.3f}, recall {top.recall:.3f}")
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
        if options["tune"]:
            self._tune(as_of, horizon, config.weights, samples)

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
