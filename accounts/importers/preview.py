"""The first rows of a file as the import would read them, without touching the database:
what the imports page shows beside the column mapping, so a wrong date or number format shows
before the dry run."""

from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from accounts.importers import parsers
from accounts.importers.csvfile import Record, open_csv
from accounts.importers.options import ImportOptions
from accounts.importers.spec import Column, ImportSpec

PREVIEW_ROWS = 10


@dataclass(frozen=True)
class PreviewCell:
    column: str  # the portal's column
    raw: str  # the file's cell ("" for a column not in the file)
    value: Any  # what the portal reads (None when blank or invalid)
    error: str  # why the cell is refused ("" when it is not)


@dataclass(frozen=True)
class PreviewRow:
    line: int
    cells: list[PreviewCell]
    problems: list[str]  # the row's own problems: its field count, rules across columns


def preview_rows(
    *, spec: ImportSpec, path: Path, options: ImportOptions, limit: int = PREVIEW_ROWS
) -> list[PreviewRow]:
    """ImportFileError when the file or the mapping cannot be read at all."""
    optional = [c.name for c in spec.columns if c.optional]
    with open_csv(path, spec.names, options.mapping, optional) as source:
        width = len(source.header)
        rows = []
        for record in islice(source.records(), limit):
            cells = [
                _cell(column, source.positions[column.name], record.fields, options)
                for column in spec.columns
            ]
            rows.append(PreviewRow(record.line, cells, _problems(spec, cells, record, width)))
    return rows


def _cell(
    column: Column, position: int | None, fields: list[str], options: ImportOptions
) -> PreviewCell:
    raw = fields[position] if position is not None and position < len(fields) else ""
    try:
        value = column.parser(options.formats)(parsers.storable(raw).strip())
    except ValueError as exc:
        return PreviewCell(column.name, raw, None, str(exc))
    return PreviewCell(column.name, raw, value, "")


def _problems(spec: ImportSpec, cells: list[PreviewCell], record: Record, width: int) -> list[str]:
    if len(record.fields) != width:
        return [
            _("the row has %(found)d fields but the header has %(width)d")
            % {"found": len(record.fields), "width": width}
        ]
    if spec.row_check is None or any(cell.error for cell in cells):
        return []
    return [message for _column, message in spec.row_check({c.column: c.value for c in cells})]
