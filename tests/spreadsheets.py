"""Reading back what the exports write: CSV text and XLSX sheets (zipfile + XML, no extra
dependency), as lists of rows of cell text."""

import csv
import io
import re
import zipfile
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "CSV without a byte-order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_rows(content: bytes) -> list[list[str]]:
    """The first sheet's rows; each cell as its text (numbers as written, dates as serials).
    Reads inline and shared strings; a formula cell fails the read (none may be written)."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        shared = _shared_strings(book)
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iterfind(".//m:sheetData/m:row", NS):
        cells: dict[int, str] = {}
        for cell in row.iterfind("m:c", NS):
            assert cell.find("m:f", NS) is None, f"formula in {cell.get('r')}"
            cells[_column(cell.get("r") or "")] = _text(cell, shared)
        rows.append([cells.get(i, "") for i in range(max(cells, default=-1) + 1)])
    return rows


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iterfind(".//m:t", NS)) for si in root]


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _text(cell: ElementTree.Element, shared: list[str]) -> str:
    """The cell's text, with XLSX's _xHHHH_ escapes (control characters) decoded."""
    kind = cell.get("t")
    if kind == "inlineStr":
        text = "".join(t.text or "" for t in cell.iterfind(".//m:t", NS))
    else:
        value = cell.findtext("m:v", default="", namespaces=NS)
        text = shared[int(value)] if kind == "s" else value
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _column(reference: str) -> int:
    letters = "".join(c for c in reference if c.isalpha())
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number - 1
