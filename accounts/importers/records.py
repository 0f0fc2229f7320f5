"""Run an import spec over records already in memory (the API's bulk upsert) instead of a CSV
file: the same parsers, the same staging table and set-based checks, the same upsert (with its
monthly rollup), so a record is accepted or refused exactly as a CSV row would be.

Errors name the record's index (`row`, from 0) and the field. All or nothing: a single refused
record means nothing is written.
"""

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.importers import parsers, staging
from accounts.importers.spec import ImportSpec
from accounts.models import Account

# A target row already stored on a customer the writer may not see: not theirs to change.
FOREIGN_ROW = "foreign_row"


@dataclass(frozen=True)
class RecordError:
    row: int
    field: str | None
    message: str
    code: str = "invalid"


@dataclass
class RecordsReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    errors: list[RecordError] = field(default_factory=list)


def cell_text(value: Any) -> str:
    """A JSON value as the CSV cell that would carry it: the parsers then judge it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (str, dt.date)):
        return str(value)
    raise ValueError(_("must be a string, a number, true, false or null"))


def _parsed(spec: ImportSpec, row: int, record: Any) -> tuple[tuple[Any, ...], list[RecordError]]:
    """(line, *values, parse_error) for the staging table, and the record's errors. The
    staging table's lines count from 1, as a file's do: line = row + 1."""
    line = row + 1
    if not isinstance(record, Mapping):
        error = RecordError(row, None, _("each item must be an object"), "not_an_object")
        return (line, *([None] * len(spec.columns)), "invalid"), [error]
    errors = [
        RecordError(row, str(name), _("is not a field of this import"), "unknown_field")
        for name in record
        if name not in spec.names
    ]
    values = []
    for column in spec.columns:
        try:
            text = parsers.storable(cell_text(record.get(column.name))).strip()
            values.append(column.parse(text))
        except ValueError as exc:
            values.append(None)
            errors.append(RecordError(row, column.name, str(exc)))
    return (line, *values, "invalid" if errors else None), errors


def _restrict(spec: ImportSpec, accounts: QuerySet[Account]) -> None:
    """Refuse records naming a customer outside `accounts` (as if it did not exist), and
    records that would change a stored row of such a customer."""
    table, key, ref = staging.STAGING, spec.key, spec.ref_check.column
    visible_ids, id_params = accounts.values("external_id").query.sql_with_params()
    visible_pks, pk_params = accounts.values("pk").query.sql_with_params()
    unknown = "unknown_customer"  # the spec's own message: no hint that the customer exists
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET ref_error = '{unknown}' WHERE ref_error IS NULL "
            f"AND {ref} IS NOT NULL AND {ref} NOT IN ({visible_ids})",
            id_params,
        )
        cursor.execute(
            f"UPDATE {table} SET ref_error = '{FOREIGN_ROW}' WHERE ref_error IS NULL "
            f"AND EXISTS (SELECT 1 FROM {spec.target_table} t WHERE t.{spec.target_key} = "
            f"{table}.{key} AND t.account_id NOT IN ({visible_pks}))",
            pk_params,
        )


def _check_errors(spec: ImportSpec) -> Iterator[RecordError]:
    for rejected in staging.rejected(spec):
        row = rejected.line - 1
        if rejected.dup_of is not None:
            message = _("repeats the %(key)s of row %(first)d") % {
                "key": spec.key,
                "first": rejected.dup_of - 1,
            }
            yield RecordError(row, spec.key, message, "duplicate")
        if rejected.ref_error == FOREIGN_ROW:
            message = _('"%(value)s" belongs to a customer you may not change') % {
                "value": parsers.shown(rejected.key or "")
            }
            yield RecordError(row, spec.key, message, FOREIGN_ROW)
        elif rejected.ref_error is not None:
            check = next(c for c in spec.all_checks if rejected.ref_error in c.messages)
            value = rejected.values[check.column]
            words = check.messages[rejected.ref_error]("" if value is None else str(value))
            yield RecordError(row, check.column, words, rejected.ref_error)


def import_records(
    *,
    spec: ImportSpec,
    records: Sequence[Any],
    within: QuerySet[Account] | None = None,
    dry_run: bool = False,
) -> RecordsReport:
    """Check every record and, when all pass (and not `dry_run`), write them all. `within`
    limits the customers the records may name (None: any customer)."""
    report = RecordsReport()
    with transaction.atomic():
        staging.create(spec)
        rows = []
        for index, record in enumerate(records):
            row, errors = _parsed(spec, index, record)
            rows.append(row)
            report.errors += errors
        staging.load(spec, rows)
        staging.check(spec)
        if within is not None:
            _restrict(spec, within)
        report.errors += _check_errors(spec)
        report.errors.sort(key=lambda e: (e.row, e.field or ""))
        counts = staging.counts(spec)
        report.created, report.updated, report.unchanged = (
            counts.created,
            counts.updated,
            counts.unchanged,
        )
        # Both: a record refused in SQL must have its error reported, and never be skipped.
        report.written = not dry_run and not report.errors and not counts.rejected
        if report.written:
            staging.upsert(spec)
        staging.drop()
    return report
