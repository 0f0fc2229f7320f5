"""Benchmark: seed_demo at scale (default 100,000 accounts x 50 orders) on PostgreSQL.

    .venv/bin/python bench/seed_demo.py [--accounts N] [--orders-per-account M]

Drops and recreates the database named in DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/kam_bench_seed), migrates it, seeds it, and prints the
seconds and rows per second. Never point it at a database you want to keep.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kam_bench_seed"
ROOT = Path(__file__).resolve().parent.parent


def recreate_database(url: str) -> None:
    """DROP and CREATE the target database through the server's maintenance database."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--orders-per-account", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam_portal.settings.dev")
    sys.path.insert(0, str(ROOT))
    recreate_database(url)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    from demo.builder import demo_seed

    started = time.perf_counter()
    summary = demo_seed(
        accounts=args.accounts,
        orders_per_account=args.orders_per_account,
        seed=args.seed,
        password="kam-demo",
        end_date=dt.date(2026, 11, 27),
    )
    seconds = time.perf_counter() - started
    load = os.getloadavg()
    print(f"database: {urlsplit(url).path.lstrip('/')}")
    print(
        f"{summary.accounts:,} accounts, {summary.orders:,} orders, {summary.contacts:,} contacts, "
        f"{summary.events:,} events, {summary.team_members:,} account-team rows, "
        f"{summary.assessments:,} assessments, {summary.answers:,} answers"
    )
    rates = f"{summary.rows / seconds:,.0f} rows/s ({summary.orders / seconds:,.0f} orders/s)"
    print(f"{seconds:.1f} s, {rates}")
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
