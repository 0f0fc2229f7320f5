"""Benchmark: the growth goals' nightly step (plans.nightly.goal_progress_refresh) against one
plain aggregate pass over the orders.

    .venv/bin/python bench/goal_progress.py [--accounts N] [--orders-per-account M]
        [--with-plans P] [--repeat R] [--reseed]

Uses its own database, postgres://postgres@127.0.0.1:5432/kam_bench_goals (BENCH_DATABASE_URL
overrides), seeded with seed_demo when empty (--reseed starts over). P accounts (default a fifth)
get a plan with three goals: revenue this calendar year, gross profit over the last 12 months,
and a product category by the year's end. Prints the statement's and the whole step's time
(read, decide, bulk write), best and median of R runs, with the load average.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kam_bench_goals"


def main() -> None:
    args = _arguments()
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam_portal.settings.dev")
    os.environ["DEBUG"] = "false"
    os.environ["CELERY_BROKER_URL"] = ""
    sys.path.insert(0, str(ROOT))
    from nightly import _create_database, _plain_pass, _seed  # bench/nightly.py, beside this

    _create_database(os.environ["DATABASE_URL"], drop=args.reseed)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    as_of = _seed(call_command, accounts=args.accounts, orders=args.orders_per_account)
    _plans(as_of=as_of, accounts=args.with_plans or args.accounts // 5)
    _time(as_of=as_of, repeat=args.repeat, plain=_plain_pass)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--orders-per-account", type=int, default=50)
    parser.add_argument("--with-plans", type=int, default=0, help="accounts with a plan")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reseed", action="store_true", help="drop the database and seed again")
    return parser.parse_args()


def _plans(*, as_of: dt.date, accounts: int) -> None:
    """Plans with three goals each on the first `accounts` customers, once."""
    from accounts.models import Account
    from plans.enums import GoalKind
    from plans.models import Goal, GrowthPlan

    if GrowthPlan.objects.exists():
        print(f"{GrowthPlan.objects.count():,} plans, {Goal.objects.count():,} goals (kept)")
        return
    ids = list(Account.objects.order_by("pk").values_list("pk", flat=True)[:accounts])
    GrowthPlan.objects.bulk_create(
        [GrowthPlan(account_id=pk, review_on=as_of) for pk in ids], batch_size=5_000
    )
    year = {"starts_on": as_of.replace(month=1, day=1), "ends_on": as_of.replace(month=12, day=31)}
    trailing = {"starts_on": as_of - dt.timedelta(days=364), "ends_on": as_of}
    goals = []
    for plan_id in GrowthPlan.objects.values_list("pk", flat=True):
        goals += [
            Goal(plan_id=plan_id, kind=GoalKind.REVENUE, target=500_000, **year),
            Goal(plan_id=plan_id, kind=GoalKind.GROSS_PROFIT, target=100_000, **trailing),
            Goal(plan_id=plan_id, kind=GoalKind.CATEGORY, category="Pumps", **year),
        ]
    Goal.objects.bulk_create(goals, batch_size=5_000)
    print(f"{len(ids):,} plans, {len(goals):,} goals created")


def _time(*, as_of: dt.date, repeat: int, plain: Callable[[], float]) -> None:
    from django.db import transaction

    from plans.nightly import goal_progress_refresh, measured_goals

    reads, steps = [], []
    for _ in range(repeat):
        plain()
        started = time.monotonic()
        measured_goals(as_of=as_of)
        reads.append(time.monotonic() - started)
        started = time.monotonic()
        with transaction.atomic():
            count = goal_progress_refresh(as_of=as_of)
        steps.append(time.monotonic() - started)
    print(f"{count:,} goals measured")
    for name, values in (("statement alone", reads), ("whole step", steps)):
        print(f"{name}: best {min(values):.2f} s, median {statistics.median(values):.2f} s")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
