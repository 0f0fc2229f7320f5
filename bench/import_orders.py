"""Benchmark: import a generated orders CSV (1,000,000 rows by default), then re-import it.

    .venv/bin/python bench/import_orders.py [--rows N] [--customers N]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kam_bench_import), creating and
migrating that database when missing. Prints rows/s for the first import and the re-import, and
the process's peak RSS (which must not grow with the file: the import streams).
"""

import argparse
import csv
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kam_bench_import"
CHANNELS = ["phone", "message", "sms", "website", "field_sales", "service_desk", "technical", ""]


def main() -> None:
    args = _arguments()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam_portal.settings.dev")
    os.environ["DEBUG"] = "false"  # DEBUG would keep every query in memory
    sys.path.insert(0, str(ROOT))
    _create_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _prepare(customers=args.customers)
    print(f"setup done; RSS so far {_peak_rss_mb():.0f} MB", flush=True)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "orders.csv"
        started = time.monotonic()
        _write_orders(path, rows=args.rows, customers=args.customers)
        size_mb = path.stat().st_size / 1e6
        print(f"wrote {args.rows:,} rows ({size_mb:.0f} MB) in {time.monotonic() - started:.1f} s")
        for label in ("first import", "re-import"):
            _time_import(call_command, path, label=label, rows=args.rows)
    print(f"peak RSS {_peak_rss_mb():.0f} MB; load average {os.getloadavg()}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    return parser.parse_args()


def _create_database(url: str) -> None:
    """CREATE DATABASE when missing (connecting to the server's `postgres` database)."""
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        return
    server = {k.lower(): config[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if config.get(k)}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if exists.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def _prepare(*, customers: int) -> None:
    """One account manager, `customers` accounts, and no orders, so the first import creates."""
    from django.db import connection

    from accounts.importers import customers_import
    from accounts.models import Order
    from users.models import Role, User

    User.objects.get_or_create(username="bench_am", defaults={"role": Role.ACCOUNT_MANAGER})
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Order._meta.db_table}")
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["external_id", "name", "industry", "owner_username"])
        writer.writerows(
            [f"C{n:06d}", f"Customer {n}", "Steel", "bench_am"] for n in range(customers)
        )
        file.flush()
        customers_import(path=Path(file.name))


def _write_orders(path: Path, *, rows: int, customers: int) -> None:
    from accounts.importers import ORDERS

    rng = random.Random(42)
    start = dt.date(2022, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(ORDERS.names)
        for n in range(rows):
            revenue = rng.randint(-5_000, 500_000) / 100
            writer.writerow(
                [
                    f"O{n:09d}",
                    f"C{rng.randrange(customers):06d}",
                    (start + dt.timedelta(days=rng.randrange(1460))).isoformat(),
                    rng.choice(CHANNELS),
                    f"{revenue:.2f}",
                    f"{revenue * 0.25:.2f}" if n % 10 else "",
                    rng.choice(("yes", "no", "", "1", "0")),
                    rng.choice(("Pipes", "Valves, fittings", "צינורות", "")),
                ]
            )


def _time_import(call_command, path: Path, *, label: str, rows: int) -> None:
    out = StringIO()
    started = time.monotonic()
    call_command("import_orders", str(path), stdout=out, stderr=sys.stderr)
    seconds = time.monotonic() - started
    print(
        f"{label}: {seconds:.1f} s, {rows / seconds:,.0f} rows/s, peak RSS {_peak_rss_mb():.0f} MB"
    )
    print(f"  {out.getvalue().strip()}", flush=True)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


if __name__ == "__main__":
    main()
