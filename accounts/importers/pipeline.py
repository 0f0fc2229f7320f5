"""Run one import spec over one CSV file: parse -> stage -> check in SQL -> upsert.

All or nothing by default: any rejected row means nothing is written. With skip_invalid the
valid rows are written and the rejected ones go to `<stem>.rejects.csv` beside the input.
"""

import csv
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from accounts.importers import parsers, staging
from accounts.importers.csvfile import CsvFile, open_csv
from accounts.importers.errors import ImportFileError
from accounts.importers.parsers import Parser
from accounts.importers.spec import ImportSpec

ERRORS_SHOWN = 50


@dataclass
class ImportReport:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    seconds: float = 0.0
    written: bool = False  # False after a dry run or a refused (all-or-nothing) import
    errors: list[str] = field(default_factory=list)  # the first ERRORS_SHOWN, in line order
    rejects_path: Path | None = None

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds > 0 else 0.0


def run_import(
    *,
    spec: ImportSpec,
    path: Path,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: TextIO | None = None,
) -> ImportReport:
    """Import `path`; `progress` is the stream for a progress bar (None: no bar)."""
    started = time.monotonic()
    report = ImportReport()
    with transaction.atomic():
        staging.create(spec)
        with open_csv(path, spec.names) as source:
            report.rows_read = staging.load(spec, _parsed_rows(spec, source, progress))
            columns = source.positions
        _status(progress, _("checking %(rows)d rows…") % {"rows": report.rows_read})
        staging.check(spec)
        counts = staging.counts(spec)
        report.created, report.updated = counts.created, counts.updated
        report.unchanged, report.rejected = counts.unchanged, counts.rejected
        report.errors = list(islice(_error_lines(spec, columns), ERRORS_SHOWN))
        report.written = not dry_run and (skip_invalid or not report.rejected)
        if report.written:
            _status(progress, _("writing…"))
            staging.upsert(spec)
            if report.rejected:
                report.rejects_path = _write_rejects(spec, path, columns)
        staging.drop()
    report.seconds = time.monotonic() - started
    return report


def _parsed_rows(
    spec: ImportSpec, source: CsvFile, progress: TextIO | None
) -> Iterator[tuple[Any, ...]]:
    """(line, *values, parse_error) per record, for the staging table."""
    cells = [(source.positions[c.name], c.parse, c.name) for c in spec.columns]
    width = len(source.header)
    with _Bar(
        total=source.size,
        unit="B",
        unit_scale=True,
        file=progress,
        disable=progress is None,
        desc=_("reading"),
    ) as bar:
        for record in source.records(bar.update_to):
            if len(record.fields) == width:
                yield (record.line, *_parse_cells(cells, record.fields))
            else:
                yield (record.line, *_field_count_row(spec, record.fields, source))
        bar.update_to(source.size)


def _parse_cells(cells: list[tuple[int, Parser, str]], fields: list[str]) -> list[Any]:
    """The parsed values then the joined problems (None if none); a bad cell becomes None."""
    values, problems = [], []
    for position, parse, name in cells:
        try:
            values.append(parse(parsers.storable(fields[position]).strip()))
        except ValueError as exc:
            values.append(None)
            problems.append(column_message(position, name, str(exc)))
    values.append("; ".join(problems) or None)
    return values


def _field_count_row(spec: ImportSpec, fields: list[str], source: CsvFile) -> list[Any]:
    """A short or long row is rejected, but its key (when there) is still checked for repeats."""
    position = source.positions[spec.key]
    key = fields[position].strip() if position < len(fields) else ""
    if "\x00" in key:  # not storable: the row is rejected anyway, and so is not a repeat
        key = ""
    values = [(key or None) if c.name == spec.key else None for c in spec.columns]
    problem = _("the row has %(found)d fields but the header has %(width)d") % {
        "found": len(fields),
        "width": len(source.header),
    }
    return [*values, problem]


def column_message(position: int, name: str, message: str) -> str:
    return _("column %(number)d (%(name)s): %(message)s") % {
        "number": position + 1,
        "name": name,
        "message": message,
    }


def _error_lines(spec: ImportSpec, columns: dict[str, int]) -> Iterator[str]:
    for row in staging.rejected(spec):
        yield _("line %(line)d, %(problems)s") % {
            "line": row.line,
            "problems": "; ".join(_problems(spec, columns, row)),
        }


def _problems(spec: ImportSpec, columns: dict[str, int], row: staging.RejectedRow) -> list[str]:
    problems = [row.parse_error] if row.parse_error else []
    if row.dup_of is not None:
        problems.append(
            column_message(
                columns[spec.key],
                spec.key,
                _('"%(value)s" repeats the key first seen on line %(first)d')
                % {"value": parsers.shown(row.key or ""), "first": row.dup_of},
            )
        )
    if row.ref_error is not None:
        check = spec.ref_check
        message = check.messages[row.ref_error](row.ref_value or "")  # the check skips empty cells
        problems.append(column_message(columns[check.column], check.column, message))
    return problems


def rejects_path_for(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")


def _write_rejects(spec: ImportSpec, path: Path, columns: dict[str, int]) -> Path:
    """Second pass over the input, merged by line with the rejected rows (both in line order)."""
    target = rejects_path_for(path)
    rejected = staging.rejected(spec)
    try:
        out = target.open("w", encoding="utf-8-sig", newline="")
    except OSError as exc:
        # Raised inside the transaction: the valid rows are not written either.
        raise ImportFileError(
            _("cannot write the rejects file %(path)s: %(reason)s")
            % {"path": target, "reason": exc.strerror}
        ) from exc
    with open_csv(path, spec.names) as source, out:
        writer = csv.writer(out)
        writer.writerow([*source.header, "line", "error"])
        width = len(source.header)
        pending = next(rejected, None)
        for record in source.records():
            if pending is None:
                break
            if record.line == pending.line:
                fields = (record.fields + [""] * width)[:width]  # short or long rows too
                message = "; ".join(_problems(spec, columns, pending))
                writer.writerow([*fields, record.line, message])
                pending = next(rejected, None)
    return target


class _Bar(tqdm):
    def update_to(self, position: int) -> None:
        self.update(position - self.n)


def _status(stream: TextIO | None, message: str) -> None:
    if stream is not None:
        print(message, file=stream, flush=True)
