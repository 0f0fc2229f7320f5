"""`python manage.py seed_churn_histories`: customers with known fates for `backtest_risk`.

Writes steady and bursty order histories (segmentation/churn/synthetic.py) beside whatever the
database holds; meant for a throwaway database, not for production.
"""

import datetime as dt
from itertools import islice
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from kam_portal.bulk import copy_rows
from segmentation.churn.synthetic import History, histories

BATCH = 1000


def _write(batch: list[History]) -> int:
    now = timezone.now()
    copy_rows(
        "accounts_account",
        ("external_id", "name", "industry", "status", "created_at", "updated_at"),
        ((h.external_id, f"{h.kind} {h.external_id}", "", "active", now, now) for h in batch),
    )
    ids = dict(
        Account.objects.filter(external_id__in=[h.external_id for h in batch]).values_list(
            "external_id", "id"
        )
    )
    orders = (
        (f"{h.external_id}-{i}", ids[h.external_id], on, "other", rev, gp, cmp, "")
        for h in batch
        for i, (on, rev, gp, cmp) in enumerate(h.orders)
    )
    columns = ("external_ref", "account_id", "ordered_on", "channel", "revenue", "gross_profit")
    written = copy_rows("accounts_order", (*columns, "price_compared", "product_category"), orders)
    events = (
        (ids[h.external_id], kind, on, score, "", now)
        for h in batch
        for kind, on, score in h.events
    )
    copy_rows(
        "accounts_accountevent",
        ("account_id", "kind", "occurred_on", "score", "text", "created_at"),
        events,
    )
    return written


class Command(BaseCommand):
    help = "Add synthetic customers (steady and bursty buyers, some of whom stop) for backtests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--accounts", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--bursty-share", type=float, default=0.5)
        parser.add_argument("--start", default="2023-01-01")
        parser.add_argument("--end", default="2026-10-31")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start = dt.date.fromisoformat(str(options["start"]))
            end = dt.date.fromisoformat(str(options["end"]))
        except ValueError as exc:
            raise CommandError(f"--start/--end: {exc}") from None
        share = float(options["bursty_share"])
        if not 0 <= share <= 1 or end <= start + dt.timedelta(days=400):
            raise CommandError("Need 0 <= --bursty-share <= 1 and --end > --start + 400 days.")
        seed = int(options["seed"])
        if Account.objects.filter(external_id__startswith=f"H{seed}-").exists():
            raise CommandError(f"Histories with seed {seed} are already loaded.")
        count = int(options["accounts"])
        stream = histories(count=count, seed=seed, start=start, end=end, bursty_share=share)
        orders = 0
        while batch := list(islice(stream, BATCH)):
            with transaction.atomic():
                orders += _write(batch)
        self.stdout.write(f"Wrote {count} customers and {orders} orders (seed {seed}).")
