"""CSV imports of customers and orders: a generic pipeline (pipeline.py) run over one spec per
file type (customers.py, orders.py). Services follow the `<entity>_<action>` naming."""

from pathlib import Path
from typing import TextIO

from accounts.importers.customers import CUSTOMERS
from accounts.importers.errors import ImportFileError
from accounts.importers.orders import ORDERS
from accounts.importers.pipeline import ImportReport, rejects_path_for, run_import

__all__ = [
    "CUSTOMERS",
    "ORDERS",
    "ImportFileError",
    "ImportReport",
    "customers_import",
    "orders_import",
    "rejects_path_for",
]


def customers_import(
    *, path: Path, dry_run: bool = False, skip_invalid: bool = False, progress: TextIO | None = None
) -> ImportReport:
    return run_import(
        spec=CUSTOMERS, path=path, dry_run=dry_run, skip_invalid=skip_invalid, progress=progress
    )


def orders_import(
    *, path: Path, dry_run: bool = False, skip_invalid: bool = False, progress: TextIO | None = None
) -> ImportReport:
    return run_import(
        spec=ORDERS, path=path, dry_run=dry_run, skip_invalid=skip_invalid, progress=progress
    )
