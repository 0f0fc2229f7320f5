"""Streaming CSV reading: UTF-8 (BOM or not), one record at a time, with its file line.

The file is decoded line by line (not by the io module's chunks) so that a non-UTF-8 byte is
reported with the line it sits on.
"""

import csv
import difflib
import os
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from accounts.importers.errors import ImportFileError
from accounts.importers.parsers import shown

Progress = Callable[[int], None]  # called with the byte position reached


@dataclass(frozen=True)
class Record:
    line: int  # physical line where the record starts; the header is line 1
    fields: list[str]


# The portal's column -> the file's column holding it (an ERP's own header names).
ColumnMapping = Mapping[str, str]


class CsvFile:
    """An open CSV file whose header has been read and checked against `expected` columns.

    Without a mapping the header must name exactly the expected columns. With one, each
    expected column is read from the file column the mapping names; other file columns are
    ignored, and an `optional` column left unmapped reads as blank (position None).
    """

    def __init__(
        self,
        binary: BinaryIO,
        expected: Sequence[str],
        mapping: ColumnMapping | None = None,
        optional: Collection[str] = (),
    ) -> None:
        self._binary = binary
        self.size = os.fstat(binary.fileno()).st_size
        self._reader = csv.reader(_decoded_lines(binary))
        self.header = _read_header(self._reader, expected, check=mapping is None)
        # Where each expected column sits in the file (files may order columns freely).
        self.positions: dict[str, int | None]
        self.labels = {name: name for name in expected}  # how messages name each column
        if mapping is None:
            self.positions = {name: self.header.index(name) for name in expected}
        else:
            self.positions = mapped_positions(self.header, expected, mapping, optional)
            for name, position in self.positions.items():
                if position is not None and self.header[position] != name:
                    self.labels[name] = f"{self.header[position]} → {name}"

    def records(self, progress: Progress | None = None) -> Iterator[Record]:
        reader, last = self._reader, self._reader.line_num
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(
                    _("line %(line)d: the CSV is malformed (%(reason)s)")
                    % {"line": reader.line_num, "reason": exc}
                ) from exc
            start, last = last + 1, reader.line_num
            if progress is not None and start % 8192 == 0:
                progress(self._binary.tell())
            if fields:  # csv yields [] for a blank line
                yield Record(start, fields)


@contextmanager
def open_csv(
    path: Path,
    expected: Sequence[str],
    mapping: ColumnMapping | None = None,
    optional: Collection[str] = (),
) -> Iterator[CsvFile]:
    try:
        binary = path.open("rb")
    except FileNotFoundError as exc:
        raise ImportFileError(_("no such file")) from exc
    except OSError as exc:
        raise ImportFileError(_("cannot be read: %(reason)s") % {"reason": exc.strerror}) from exc
    with binary:
        yield CsvFile(binary, expected, mapping, optional)


def read_header(path: Path) -> list[str]:
    """The header row of the file at `path` (stripped names), or ImportFileError."""
    with open_csv(path, (), mapping={}) as source:
        return source.header


def _decoded_lines(binary: BinaryIO) -> Iterator[str]:
    for number, raw in enumerate(binary, start=1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _(
                    "line %(line)d is not UTF-8 text (byte %(byte)d of the line); "
                    "save the file as CSV UTF-8"
                )
                % {"line": number, "byte": exc.start + 1}
            ) from exc


def _read_header(
    reader: Iterator[list[str]], expected: Sequence[str], *, check: bool = True
) -> list[str]:
    try:
        header = next((row for row in reader if row), None)
    except csv.Error as exc:
        message = _("the header row is malformed (%(reason)s)") % {"reason": exc}
        raise ImportFileError(message) from exc
    if header is None:
        raise ImportFileError(
            _("the file is empty; the first row must be the header: %(columns)s")
            % {"columns": ",".join(expected)}
        )
    header = [name.strip() for name in header]
    problems = header_problems(header, expected) if check else []
    if problems:
        raise ImportFileError(
            _("the header row does not match: %(problems)s. Expected columns: %(columns)s")
            % {"problems": "; ".join(problems), "columns": ",".join(expected)}
        )
    return header


def header_problems(header: Sequence[str], expected: Sequence[str]) -> list[str]:
    """What is wrong with a header row, in words; [] when every expected column is there once."""
    missing = [name for name in expected if name not in header]
    unknown = [name for name in header if name not in expected]
    repeated = sorted({name for name in header if header.count(name) > 1})
    problems = []
    if missing:
        problems.append(_("missing %(names)s") % {"names": ", ".join(missing)})
    for name in unknown:
        close = difflib.get_close_matches(name, missing, n=1)
        if close:
            problems.append(
                _('unknown column "%(name)s" (did you mean "%(close)s"?)')
                % {"name": shown(name), "close": close[0]}
            )
        else:
            problems.append(_('unknown column "%(name)s"') % {"name": shown(name)})
    if repeated:
        problems.append(_("repeated %(names)s") % {"names": ", ".join(repeated)})
    return problems


def mapped_positions(
    header: Sequence[str],
    expected: Sequence[str],
    mapping: ColumnMapping,
    optional: Collection[str] = (),
) -> dict[str, int | None]:
    """Where each expected column sits, read through `mapping`; ImportFileError naming every
    problem (an unmapped required column, a mapped column the file lacks or holds twice)."""
    problems = mapping_problems(header, expected, mapping, optional)
    if problems:
        raise ImportFileError(
            _("the columns do not match: %(problems)s") % {"problems": "; ".join(problems)}
        )
    return {name: header.index(mapping[name]) if mapping.get(name) else None for name in expected}


def mapping_problems(
    header: Sequence[str],
    expected: Sequence[str],
    mapping: ColumnMapping,
    optional: Collection[str] = (),
) -> list[str]:
    """What is wrong with reading `header` through `mapping`, in words; [] when nothing is."""
    problems = []
    for name in expected:
        source = mapping.get(name, "")
        if not source:
            if name not in optional:
                problems.append(_("no file column is chosen for %(name)s") % {"name": name})
        elif source not in header:
            problems.append(
                _('the file has no column "%(column)s" (chosen for %(name)s)')
                % {"column": shown(source), "name": name}
            )
        elif header.count(source) > 1:
            problems.append(
                _('the file has two columns named "%(column)s" (chosen for %(name)s)')
                % {"column": shown(source), "name": name}
            )
    return problems
