"""Exports of any list as CSV or XLSX: a list says its columns and its rows once (a
`ListExport`), and `export_view` serves it at `<list>/export/?format=csv|xlsx&<its filters>`.

- CSV streams row by row at any size (StreamingHttpResponse), UTF-8 with a byte-order mark so
  that Excel shows Hebrew; its header is the columns' stable English snake_case keys, and
  values are machine-readable (codes, ISO dates, plain decimals), for scripts.
- XLSX is written by xlsxwriter in constant-memory mode (one row in memory at a time) into a
  temporary file streamed back; its header is the columns' translated labels, values are
  typed cells (numbers, dates) and codes become their labels, for people.
- Every text cell of both is neutralised (kam_portal.spreadsheet): a name that starts with
  = + - @, a tab or a carriage return never runs as a formula.

Adding a list is one line beside its URL: `path("export/", export_view(MY_LIST), ...)`, where
MY_LIST is a ListExport whose `rows` starts from the same selector as the list's page.
"""

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

import xlsxwriter
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kam_portal.spreadsheet import neutralise, neutralise_row
from users.requests import AuthenticatedHttpRequest

if TYPE_CHECKING:  # django-stubs-ext is a dev requirement: for annotations only
    from django_stubs_ext import StrOrPromise

FORMATS = ("csv", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # a worksheet's rows, less the header
BOM = "\ufeff"

TEXT, NUMBER, MONEY, SCORE, DATE = "text", "number", "money", "score", "date"
PERCENT = "percent"  # a share from 0 to 1, shown as "62.0%" in XLSX
_NUMBER_FORMATS = {
    NUMBER: "0",
    MONEY: "#,##0.00",
    SCORE: "0.0",
    PERCENT: "0.0%",
    DATE: "dd/mm/yyyy",
}


@dataclass(frozen=True)
class Column:
    key: str  # the CSV header: stable English snake_case, documented
    label: "StrOrPromise"  # the XLSX header, in the reader's language
    value: Callable[[Any], Any]  # the row -> its machine value (a code, a date, a Decimal)
    kind: str = TEXT  # how XLSX writes it: TEXT, NUMBER, MONEY, SCORE, PERCENT or DATE
    display: Callable[[Any], Any] | None = None  # XLSX only: a code -> its label


@dataclass(frozen=True)
class ListExport:
    name: str  # the file's name, before the date
    columns: Sequence[Column]
    # The rows the user sees on the list's page, with the request's filters: the same selector.
    rows: Callable[[AuthenticatedHttpRequest], Iterable[Any]]


def export_view(export: ListExport) -> Callable[[AuthenticatedHttpRequest], HttpResponseBase]:
    @require_safe
    def view(request: AuthenticatedHttpRequest) -> HttpResponseBase:
        chosen = request.GET.get("format", "csv")
        if chosen not in FORMATS:
            return HttpResponseBadRequest(
                _("Unknown export format “%(format)s”; use csv or xlsx.") % {"format": chosen},
                content_type="text/plain; charset=utf-8",
            )
        name = f"{export.name}-{timezone.localdate().isoformat()}.{chosen}"
        rows = export.rows(request)
        if chosen == "csv":
            return csv_response(name, export.columns, rows)
        return xlsx_response(name, export.columns, rows)

    view.__name__ = f"{export.name}_export"
    return view


class _Echo:
    """A file-like object whose write returns what it was given: csv.writer into a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: Sequence[Column], rows: Iterable[Any]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([column.key for column in columns])
    for row in rows:
        yield writer.writerow(neutralise_row(_csv_value(c.value(row)) for c in columns))


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value


def csv_response(
    name: str, columns: Sequence[Column], rows: Iterable[Any]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(columns, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def write_xlsx(target: IO[bytes] | str, columns: Sequence[Column], rows: Iterable[Any]) -> int:
    """Write the sheet; the number of rows written (at most XLSX_MAX_ROWS, then a note)."""
    book = xlsxwriter.Workbook(
        target,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = book.add_worksheet()
    formats = {
        kind: book.add_format({"num_format": code}) for kind, code in _NUMBER_FORMATS.items()
    }
    bold = book.add_format({"bold": True})
    for number, column in enumerate(columns):
        sheet.write_string(0, number, neutralise(str(column.label)), bold)
    written = 0
    for written, row in enumerate(rows, start=1):
        if written > XLSX_MAX_ROWS:
            note = _("Only the first %(count)d rows fit in a worksheet; export CSV for all.")
            sheet.write_string(written, 0, note % {"count": XLSX_MAX_ROWS})
            written -= 1
            break
        for number, column in enumerate(columns):
            _write_cell(sheet, written, number, column, column.value(row), formats)
    sheet.freeze_panes(1, 0)
    book.close()
    return written


def _write_cell(
    sheet: Any, row: int, col: int, column: Column, value: Any, formats: dict[str, Any]
) -> None:
    if value is None or value == "":
        return
    if column.kind == DATE and isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), formats[DATE])
    elif column.kind in _NUMBER_FORMATS and isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value), formats[column.kind])
    else:
        shown = column.display(value) if column.display else value
        if isinstance(shown, bool):
            shown = _("yes") if shown else _("no")
        sheet.write_string(row, col, neutralise(str(shown)))


def xlsx_response(name: str, columns: Sequence[Column], rows: Iterable[Any]) -> FileResponse:
    """The sheet in a temporary file, streamed back; the file is unlinked at once (POSIX keeps
    it readable while open), so nothing is left behind whatever happens to the response."""
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  (FileResponse closes it)
    write_xlsx(file, columns, rows)
    file.seek(0)
    return FileResponse(
        file,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
