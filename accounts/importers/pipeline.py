"""Run one import spec over one CSV file: parse -> stage -> check in SQL -> upsert.

All or nothing by default: any rejected row means nothing is written. With skip_invalid the
valid rows are written and the rejected ones go to `<stem>.rejects.csv` beside the input.
"""

import csv
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from accounts.importers import parsers, scope, staging
from accounts.importers.csvfile import CsvFile, open_csv
from accounts.importers.errors import ImportCancelled, ImportFileError
from accounts.importers.options import CHECKING, PLAIN, READING, REJECTS, WRITING, ImportOptions
from accounts.importers.parsers import Parser
from accounts.importers.spec import ImportSpec, RefCheck

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
    options: ImportOptions = PLAIN,
) -> ImportReport:
    """Import `path`; `progress` is the stream for a progress bar (None: no bar); `options`
    the mapping, formats, scope and hooks (the page's). ImportCancelled when stopped."""
    started = time.monotonic()
    report = ImportReport()
    run = _Run(spec, options, progress)
    table = run.table
    with transaction.atomic():
        if options.scope is not None:
            scope.prepare(options.scope)
        layout, report.rows_read = _stage(spec, path, run)
        run.stage(CHECKING, _("checking %(rows)d rows…") % {"rows": report.rows_read})
        staging.check(spec, run.checks, table)
        _count(report, spec, table)
        report.errors = list(islice(_error_lines(spec, layout, run), ERRORS_SHOWN))
        report.written = not dry_run and (skip_invalid or not report.rejected)
        if report.written:
            run.stage(WRITING, _("writing…"))
            staging.upsert(spec, table)
            if report.rejected:
                run.stage(REJECTS)
                report.rejects_path = _write_rejects(spec, path, layout, run)
        run.cancel_point()  # the last one: after it the transaction commits
        if not (dry_run and options.staging_table):
            staging.drop(table)
        if options.scope is not None:
            scope.drop()
    report.seconds = time.monotonic() - started
    return report


def _stage(spec: ImportSpec, path: Path, run: "_Run") -> tuple["Layout", int]:
    """Parse the file into the staging table (or find it staged by the dry run): the file's
    layout and the number of rows."""
    options, table = run.options, run.table
    optional = [c.name for c in spec.columns if c.optional]
    with open_csv(path, spec.names, options.mapping, optional) as source:
        layout = Layout(source.positions, source.labels)
        reusable = options.staging_table is not None and options.staged_rows is not None
        if reusable and staging.staged_rows(table) == options.staged_rows:
            return layout, options.staged_rows or 0
        staging.create(spec, table, temporary=options.staging_table is None)
        return layout, staging.load(spec, _parsed_rows(spec, source, run), table)


def _count(report: ImportReport, spec: ImportSpec, table: str) -> None:
    counts = staging.counts(spec, table)
    report.created, report.updated = counts.created, counts.updated
    report.unchanged, report.rejected = counts.unchanged, counts.rejected


class _Run:
    """One import's checks and hooks: the progress bar, the page's progress and cancel."""

    def __init__(self, spec: ImportSpec, options: ImportOptions, stream: TextIO | None) -> None:
        self.options = options
        self.stream = stream
        self.formats = options.formats
        self.table = options.staging_table or staging.STAGING
        extra = scope.checks(spec) if options.scope is not None else ()
        # The reference check first (unknown customers), then the scope (so that no later
        # message describes a customer the user may not see), then the spec's own.
        self.checks = (spec.ref_check, *extra, *spec.checks)

    def reading(self, position: int, total: int) -> None:
        if self.options.on_progress is not None:
            self.options.on_progress(READING, position, total)
        self.cancel_point()

    def stage(self, name: str, message: str = "") -> None:
        self.cancel_point()
        if self.options.on_progress is not None:
            self.options.on_progress(name, 0, 0)
        if message:
            _status(self.stream, message)

    def cancel_point(self) -> None:
        should_cancel = self.options.should_cancel
        if should_cancel is not None and should_cancel():
            raise ImportCancelled


@dataclass(frozen=True)
class Layout:
    """Where each portal column sits in the file (None: not in it) and how messages name it."""

    positions: dict[str, int | None]
    labels: dict[str, str]

    def message(self, name: str, message: str) -> str:
        return column_message(self.positions[name], self.labels[name], message)


def _parsed_rows(spec: ImportSpec, source: CsvFile, run: _Run) -> Iterator[tuple[Any, ...]]:
    """(line, *values, parse_error) per record, for the staging table."""
    layout = Layout(source.positions, source.labels)
    cells = [
        (source.positions[c.name], c.parser(run.formats), layout.labels[c.name])
        for c in spec.columns
    ]
    width = len(source.header)
    with _Bar(
        total=source.size,
        unit="B",
        unit_scale=True,
        file=run.stream,
        disable=run.stream is None,
        desc=_("reading"),
    ) as bar:

        def tick(position: int) -> None:
            bar.update_to(position)
            run.reading(position, source.size)

        for record in source.records(tick):
            if len(record.fields) != width:
                yield (record.line, *_field_count_row(spec, record.fields, source))
                continue
            values = _parse_cells(cells, record.fields)
            if spec.row_check is not None and values[-1] is None:
                values[-1] = _row_problems(spec, layout, values)
            yield (record.line, *values)
        tick(source.size)


def _parse_cells(cells: list[tuple[int | None, Parser, str]], fields: list[str]) -> list[Any]:
    """The parsed values then the joined problems (None if none); a bad cell becomes None."""
    values, problems = [], []
    for position, parse, name in cells:
        raw = fields[position] if position is not None else ""
        try:
            values.append(parse(parsers.storable(raw).strip()))
        except ValueError as exc:
            values.append(None)
            problems.append(column_message(position, name, str(exc)))
    values.append("; ".join(problems) or None)
    return values


def _row_problems(spec: ImportSpec, layout: Layout, values: list[Any]) -> str | None:
    """The spec's rules across one row's (well-formed) cells; None when it keeps them all."""
    assert spec.row_check is not None
    row = dict(zip(spec.names, values, strict=False))
    problems = [layout.message(name, message) for name, message in spec.row_check(row)]
    return "; ".join(problems) or None


def _field_count_row(spec: ImportSpec, fields: list[str], source: CsvFile) -> list[Any]:
    """A short or long row is rejected, but its key (when there) is still checked for repeats."""
    position = source.positions[spec.key]
    key = fields[position].strip() if position is not None and position < len(fields) else ""
    if "\x00" in key:  # not storable: the row is rejected anyway, and so is not a repeat
        key = ""
    values = [(key or None) if c.name == spec.key else None for c in spec.columns]
    problem = _("the row has %(found)d fields but the header has %(width)d") % {
        "found": len(fields),
        "width": len(source.header),
    }
    return [*values, problem]


def column_message(position: int | None, name: str, message: str) -> str:
    if position is None:
        return _("column %(name)s (not in the file): %(message)s") % {
            "name": name,
            "message": message,
        }
    return _("column %(number)d (%(name)s): %(message)s") % {
        "number": position + 1,
        "name": name,
        "message": message,
    }


def _error_lines(spec: ImportSpec, layout: Layout, run: _Run) -> Iterator[str]:
    for row in staging.rejected(spec, run.checks, run.table):
        yield _("line %(line)d, %(problems)s") % {
            "line": row.line,
            "problems": "; ".join(_problems(spec, layout, run.checks, row)),
        }


def _problems(
    spec: ImportSpec, layout: Layout, checks: Sequence[RefCheck], row: staging.RejectedRow
) -> list[str]:
    problems = [row.parse_error] if row.parse_error else []
    if row.dup_of is not None:
        problems.append(
            layout.message(
                spec.key,
                _('"%(value)s" repeats the key first seen on line %(first)d')
                % {"value": parsers.shown(row.key or ""), "first": row.dup_of},
            )
        )
    if row.ref_error is not None:
        check = next(c for c in checks if row.ref_error in c.messages)
        value = row.values[check.column]
        message = check.messages[row.ref_error]("" if value is None else str(value))
        problems.append(layout.message(check.column, message))
    return problems


def rejects_path_for(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")


def _write_rejects(spec: ImportSpec, path: Path, layout: Layout, run: _Run) -> Path:
    """Second pass over the input, merged by line with the rejected rows (both in line order)."""
    target = rejects_path_for(path)
    rejected = staging.rejected(spec, run.checks, run.table)
    try:
        out = target.open("w", encoding="utf-8-sig", newline="")
    except OSError as exc:
        # Raised inside the transaction: the valid rows are not written either.
        raise ImportFileError(
            _("cannot write the rejects file %(path)s: %(reason)s")
            % {"path": target, "reason": exc.strerror}
        ) from exc
    optional = [c.name for c in spec.columns if c.optional]
    with open_csv(path, spec.names, run.options.mapping, optional) as source, out:
        writer = csv.writer(out)
        writer.writerow([*source.header, "line", "error"])
        width = len(source.header)
        pending = next(rejected, None)
        for record in source.records():
            if pending is None:
                break
            if record.line == pending.line:
                fields = (record.fields + [""] * width)[:width]  # short or long rows too
                message = "; ".join(_problems(spec, layout, run.checks, pending))
                writer.writerow([*fields, record.line, message])
                pending = next(rejected, None)
    return target


class _Bar(tqdm):
    def update_to(self, position: int) -> None:
        self.update(position - self.n)


def _status(stream: TextIO | None, message: str) -> None:
    if stream is not None:
        print(message, file=stream, flush=True)
