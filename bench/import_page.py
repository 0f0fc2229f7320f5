"""Benchmark: a 1,000,000-row orders file through the imports page's pipeline vs the command.

    .venv/bin/python bench/import_page.py [--rows N] [--customers N] [--rounds N]

Same database, same file, orders emptied (and a CHECKPOINT) before each import, so each one
creates every row from the same start; rounds alternate which goes first.
The page's side runs exactly what its views and tasks run: the upload's record and header
(import_run_upload), the dry run (import_run_configure -> import_check_task) and, once
confirmed, the import (import_run_confirm -> import_apply_task), with the live progress and
cancel hooks. Tasks run in-process (no broker), as a worker would run them. Prints seconds for
the command, the page's dry run and the page's import, and the import's ratio to the command
(target: within 20 %).

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kam_bench_import_page), created
and migrated when missing, a temporary MEDIA_ROOT, and Redis for the live progress
(IMPORT_PROGRESS_URL, default redis://127.0.0.1:6379/0), as a deployment with a worker does.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

import import_orders as orders_bench  # bench/import_orders.py: database, customers, the file

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kam_bench_import_page"


def main() -> None:
    args = _arguments()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam_portal.settings.dev")
    os.environ["DEBUG"] = "false"  # DEBUG would keep every query in memory
    os.environ["CELERY_BROKER_URL"] = ""  # tasks in-process, as `make run` runs them
    # Progress and the cancel flag in Redis, as with a real worker (not this process's memory).
    os.environ.setdefault("IMPORT_PROGRESS_URL", "redis://127.0.0.1:6379/0")
    media = tempfile.mkdtemp(prefix="kam-bench-media-")
    os.environ["MEDIA_ROOT"] = media
    sys.path.insert(0, str(ROOT))
    orders_bench._create_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    orders_bench._prepare(customers=args.customers)
    try:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "orders.csv"
            orders_bench._write_orders(path, rows=args.rows, customers=args.customers)
            print(f"{args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB", flush=True)
            for round_number in range(1, args.rounds + 1):
                _round(round_number, path, rows=args.rows)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    print(f"peak RSS {orders_bench._peak_rss_mb():.0f} MB; load average {os.getloadavg()}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=2)
    return parser.parse_args()


def _empty_orders() -> None:
    """No orders, fresh statistics, and a checkpoint: the WAL of the previous import is not
    left for the next one to flush (max_wal_size would bill it to whichever runs second)."""
    from django.db import connection

    from accounts.models import AccountMonth, Order

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Order._meta.db_table}, {AccountMonth._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {Order._meta.db_table}")
        cursor.execute("CHECKPOINT")


def _command(path: Path) -> float:
    from django.core.management import call_command

    _empty_orders()
    started = time.monotonic()
    call_command("import_orders", str(path), stdout=StringIO(), stderr=StringIO())
    return time.monotonic() - started


def _page(path: Path) -> tuple[float, float]:
    """(dry run seconds, import seconds), each as the page's tasks run them."""
    from accounts.importers.formats import Formats
    from imports import uploads
    from imports.models import ImportStatus
    from imports.services import (
        import_run_configure,
        import_run_confirm,
        import_run_upload,
        suggested_mapping,
    )
    from imports.tasks import import_apply_task, import_check_task
    from users.models import Role, User

    _empty_orders()
    admin, _created = User.objects.get_or_create(
        username="bench_admin", defaults={"role": Role.ADMIN}
    )
    stored = uploads.imports_dir() / "bench.csv"
    shutil.copyfile(path, stored)  # what the upload leaves in MEDIA_ROOT/imports
    run = import_run_upload(
        user=admin, kind="orders", file_name="orders.csv", path=stored, profile=None
    )
    started = time.monotonic()
    import_run_configure(
        run=run,
        mapping=suggested_mapping("orders", run.header),
        formats=Formats(),
        skip_invalid=False,
        start_check=import_check_task.delay,  # runs at once: no transaction is open
    )
    checked = time.monotonic() - started
    run.refresh_from_db()
    assert run.status == ImportStatus.CHECKED, (run.status, run.error)
    started = time.monotonic()
    import_run_confirm(run=run, start_apply=import_apply_task.delay)
    imported = time.monotonic() - started
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE, (run.status, run.error)
    return checked, imported


def _round(number: int, path: Path, *, rows: int) -> None:
    """The command first in odd rounds, the page first in even ones."""
    if number % 2:
        command = _command(path)
        checked, imported = _page(path)
    else:
        checked, imported = _page(path)
        command = _command(path)
    print(
        f"round {number}: command {command:.1f} s ({rows / command:,.0f} rows/s); "
        f"page dry run {checked:.1f} s; page import {imported:.1f} s "
        f"({rows / imported:,.0f} rows/s); import / command = {imported / command:.2f}; "
        f"dry run + import / command = {(checked + imported) / command:.2f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
