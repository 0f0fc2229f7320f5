"""Benchmark: the nightly run on 100,000 customers x 50 orders against one plain aggregate pass.

    .venv/bin/python bench/nightly.py [--accounts N] [--orders-per-account M] [--reseed]
        [--workers W] [--chunk-size C] [--repeat R]

Uses its own database, postgres://postgres@127.0.0.1:5432/kam_bench_nightly (DATABASE_URL
overrides), created, migrated and seeded with seed_demo when empty (--reseed starts over).
Then: a warm-up, the plain aggregate (count, sum and last date per customer over the orders
table), and the nightly run: by default through Redis with a Celery worker of two processes that
take the chunks in parallel (as in production); `--workers 0` runs the same chord in process.
First it times the chunks' feature statement alone (no rules, no writes; on as many connections
as worker processes): the floor of the churn step with that SQL.
Prints the run's first step (the look-back and the model fit, reported apart), the churn step's
and the whole run's time and their ratios to the plain pass, against the targets (churn step
<= 4x, whole run < 60 s and <= 6x), with the peak RSS and the load average.
The machine is shared, so `--repeat R` runs it R times (the same worker, a plain pass before
each run) and prints the best and the median of each figure.
"""

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kam_bench_nightly"
DEFAULT_BROKER = "redis://127.0.0.1:6379/11"
PLAIN_SQL = (
    "SELECT account_id, COUNT(*), SUM(revenue), MAX(ordered_on) "
    "FROM accounts_order GROUP BY account_id"
)


def main() -> None:
    args = _arguments()
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam_portal.settings.dev")
    os.environ["DEBUG"] = "false"  # DEBUG would keep every query in memory
    # Its own Redis database, so that no other worker on the machine takes the chunks.
    broker = os.environ.get("BENCH_BROKER_URL", DEFAULT_BROKER) if args.workers else ""
    os.environ["CELERY_BROKER_URL"] = broker
    sys.path.insert(0, str(ROOT))
    _create_database(os.environ["DATABASE_URL"], drop=args.reseed)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    end = _seed(call_command, accounts=args.accounts, orders=args.orders_per_account)
    print(f"setup done; peak RSS so far {_peak_rss_mb():.0f} MB", flush=True)
    _run(as_of=end, workers=args.workers, chunk_size=args.chunk_size, repeat=args.repeat)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--orders-per-account", type=int, default=50)
    parser.add_argument("--reseed", action="store_true", help="drop the database and seed again")
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="Celery worker processes taking the chunks in parallel (0: in process, eager)",
    )
    parser.add_argument(
        "--chunk-size", type=int, default=None, help="customers per chunk (default: the run's)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs; prints best and median")
    return parser.parse_args()


def _create_database(url: str, *, drop: bool) -> None:
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    server = {k.lower(): config[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if config.get(k)}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
        if drop:
            conn.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if exists.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def _seed(call_command: Callable, *, accounts: int, orders: int) -> dt.date:
    """Seed when empty; return the last day of the history (the as-of date to score)."""
    from django.db import connection

    from accounts.models import Account, Order

    if not Account.objects.exists():
        started = time.monotonic()
        call_command(
            "seed_demo",
            accounts=accounts,
            orders_per_account=orders,
            end_date=dt.date(2026, 10, 31),
        )
        print(f"seeded in {time.monotonic() - started:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    count = Order.objects.count()
    print(f"{Account.objects.count():,} customers, {count:,} orders")
    return Order.objects.order_by("-ordered_on").values_list("ordered_on", flat=True)[0]


def _plain_pass() -> float:
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(PLAIN_SQL)
        rows = len(cursor.fetchall())
    elapsed = time.monotonic() - started
    print(f"plain aggregate: {rows:,} customers in {elapsed:.2f} s")
    return elapsed


def _vacuum_written_tables() -> None:
    """What autovacuum would have done between two nightly runs (it is off on some machines
    here): without it, each repeat reads the dead rows of the runs before it."""
    from django.db import connection

    from segmentation.models import RiskSnapshot, SegmentAssignment, SegmentMeasureStage

    with connection.cursor() as cursor:
        for model in (RiskSnapshot, SegmentAssignment, SegmentMeasureStage):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def _start_worker(count: int) -> subprocess.Popen:
    """A Celery worker with `count` processes on the bench's own broker database."""
    from kam_portal.celery import app

    app.control.purge()
    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "kam_portal", "worker", "--pool", "prefork",
         "--concurrency", str(count), "--loglevel", "WARNING", "-n", "bench-nightly@%h"],
        cwd=ROOT,
        env=os.environ.copy(),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=1.0):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the Celery worker did not start")
    return worker


def _features_alone(*, as_of: dt.date, workers: int, chunk_size: int | None) -> float:
    """The chunks' feature statement alone, on as many connections as worker processes: no
    rules, no writes. The churn step cannot be faster than this with the same SQL."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from segmentation import pipeline
    from segmentation.churn.features import customer_features_with
    from segmentation.churn.selectors import risk_config_get
    from segmentation.segments.measures import stage_aggregates

    config = risk_config_get()
    extras = stage_aggregates()

    def chunk(bounds: tuple[int, int]) -> None:
        try:
            rows = customer_features_with(extras, as_of=as_of, lo=bounds[0], hi=bounds[1], c=config)
            for _ in rows:
                pass
        finally:
            connection.close()  # each thread has its own connection

    ranges = pipeline.account_id_ranges(size=chunk_size or pipeline.CHUNK_SIZE)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        list(pool.map(chunk, ranges))
    return time.monotonic() - started


def _run(*, as_of: dt.date, workers: int, chunk_size: int | None, repeat: int) -> None:
    _plain_pass()  # warm-up: both passes then read the same cached pages
    plain = _plain_pass()
    alone = _features_alone(as_of=as_of, workers=workers, chunk_size=chunk_size)
    print(
        f"feature SQL alone (the churn step's floor): {alone:.2f} s = {alone / plain:.1f}x "
        "the plain pass",
        flush=True,
    )
    worker = _start_worker(workers) if workers else None
    figures: dict[str, list[float]] = {
        "plain": [], "lookback": [], "fit": [], "churn": [], "final": [], "whole": []
    }  # fmt: skip
    try:
        for _ in range(repeat):
            for key, value in _one_run(as_of=as_of, workers=workers, chunk_size=chunk_size):
                figures[key].append(value)
    finally:
        if worker:
            worker.terminate()
            worker.wait(timeout=60)
    if repeat > 1:
        _summary(figures)
    print(f"peak RSS {_peak_rss_mb():.0f} MB (this process); load average {os.getloadavg()}")


def _one_run(*, as_of: dt.date, workers: int, chunk_size: int | None) -> list[tuple[str, float]]:
    from segmentation.management.commands.run_nightly import wait_for_run
    from segmentation.pipeline import nightly_run_start

    _vacuum_written_tables()
    plain = _plain_pass()
    size = {"chunk_size": chunk_size} if chunk_size else {}
    started = time.monotonic()
    run = wait_for_run(nightly_run_start(as_of=as_of, **size), poll=0.05)
    whole = time.monotonic() - started
    how = f"{workers} worker processes" if workers else "in process (eager)"
    print(
        f"run_nightly as of {as_of}, {how}: {run.status}, {run.customers:,} customers in "
        f"{run.chunks} chunks, {run.flagged:,} flagged, {run.high_risk:,} high risk"
    )
    print(f"timings recorded on the run: {run.timings}")
    _print_model(run)
    lookback, fit = run.timings["lookback_s"], run.timings["fit_s"]
    print(f"look-back (features as of as-of - horizon, labels): {lookback:.2f} s")
    print(f"fit (repeat buying, learned model, 5-fold comparison, choice): {fit:.2f} s")
    # The churn step is the chunk phase: the chunks also stage the segment measures, from the
    # same pass over the orders, so the figure slightly overstates the churn step alone.
    churn = run.timings["chunks_wall_s"]
    final = run.timings["segmentation_s"]
    print(f"chunk phase: {churn:.2f} s (churn scores and the segment measures, in parallel)")
    print(f"churn step: {churn:.2f} s = {churn / plain:.1f}x the plain pass (target <= 4x)")
    print(
        f"whole run:  {whole:.2f} s = {whole / plain:.1f}x the plain pass (target < 60 s and <= 6x)"
    )
    print(f"load average {os.getloadavg()}", flush=True)
    return [
        ("plain", plain), ("lookback", lookback), ("fit", fit), ("churn", churn),
        ("final", final), ("whole", whole),
    ]  # fmt: skip


def _print_model(run: object) -> None:
    from segmentation.models import RiskModelVersion

    version = RiskModelVersion.objects.filter(run=run).first()
    if version is None:
        return
    print(
        f"model: {version.customers:,} look-back customers, {version.lost:,} lost; learned AUC "
        f"{version.learned_auc}, Brier {version.learned_brier}; hand AUC {version.hand_auc}, "
        f"Brier {version.hand_brier}; scored with {version.scorer} ({version.reason})"
    )


def _summary(figures: dict[str, list[float]]) -> None:
    """Best and median of each figure; each run's ratio uses the plain pass timed just before."""
    for key in ("lookback", "fit", "final"):
        best, median = min(figures[key]), statistics.median(figures[key])
        print(f"{key}: best {best:.2f} s, median {median:.2f} s")
    for key in ("churn", "whole"):
        ratios = [v / p for v, p in zip(figures[key], figures["plain"], strict=True)]
        best, median = min(figures[key]), statistics.median(figures[key])
        print(
            f"{key}: best {best:.2f} s, median {median:.2f} s; "
            f"ratio best {min(ratios):.1f}x, median {statistics.median(ratios):.1f}x"
        )
    plain = figures["plain"]
    print(f"plain: best {min(plain):.2f} s, median {statistics.median(plain):.2f} s")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
