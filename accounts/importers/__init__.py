"""CSV imports of customers, orders, contacts and account events: a generic pipeline
(pipeline.py) run over one spec per file type (customers.py, orders.py, contacts.py,
events.py), with a column mapping, date and number formats and a sales manager's scope
(options.py). The management commands and the imports page both run it. Services follow the
`<entity>_<action>` naming."""

from pathlib import Path
from typing import TextIO

from accounts.importers.contacts import CONTACTS
from accounts.importers.customers import CUSTOMERS
from accounts.importers.errors import ImportCancelled, ImportFileError
from accounts.importers.events import EVENTS
from accounts.importers.options import PLAIN, ImportOptions
from accounts.importers.orders import ORDERS
from accounts.importers.pipeline import ImportReport, rejects_path_for, run_import
from accounts.importers.spec import ImportSpec

__all__ = [
    "CONTACTS",
    "CUSTOMERS",
    "EVENTS",
    "ORDERS",
    "SPECS",
    "ImportCancelled",
    "ImportFileError",
    "ImportOptions",
    "ImportReport",
    "customers_import",
    "orders_import",
    "rejects_path_for",
    "run_import",
]

# Every kind of file, by its name: what the page offers and the commands are named for.
SPECS: dict[str, ImportSpec] = {spec.kind: spec for spec in (CUSTOMERS, ORDERS, CONTACTS, EVENTS)}


def customers_import(
    *,
    path: Path,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: TextIO | None = None,
    options: ImportOptions = PLAIN,
) -> ImportReport:
    return run_import(
        spec=CUSTOMERS,
        path=path,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        progress=progress,
        options=options,
    )


def orders_import(
    *,
    path: Path,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: TextIO | None = None,
    options: ImportOptions = PLAIN,
) -> ImportReport:
    return run_import(
        spec=ORDERS,
        path=path,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        progress=progress,
        options=options,
    )
