"""kam_portal.export: CSV with a BOM and machine headers, XLSX with labels and typed cells,
formula neutralisation in both, unknown formats, and XLSX in constant memory."""

import datetime as dt
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from django.test import RequestFactory

from kam_portal import export
from kam_portal.export import DATE, MONEY, Column, ListExport
from tests.spreadsheets import csv_rows, xlsx_rows

COLUMNS = (
    Column("name", "Name", lambda r: r["name"]),
    Column("revenue", "Revenue", lambda r: r["revenue"], MONEY),
    Column("day", "Day", lambda r: r["day"], DATE),
    Column("level", "Level", lambda r: r["level"], display=lambda code: code.upper()),
)
ROWS = [
    {
        "name": '=HYPERLINK("http://x")',
        "revenue": Decimal("-12.50"),
        "day": dt.date(2026, 1, 31),
        "level": "high",
    },
    {"name": "צינורות בע״מ", "revenue": None, "day": None, "level": "low"},
    {"name": "+1", "revenue": Decimal("3"), "day": None, "level": "@x"},
    {"name": "-2", "revenue": None, "day": None, "level": None},
    {"name": "@SUM(A1)", "revenue": None, "day": None, "level": None},
    {"name": "\tTab", "revenue": None, "day": None, "level": None},
    {"name": "\rCR", "revenue": None, "day": None, "level": None},
]
LIST = ListExport(name="things", columns=COLUMNS, rows=lambda request: ROWS)


def get(fmt: str):
    request = RequestFactory().get("/things/export/", {"format": fmt})
    return export.export_view(LIST)(request)


def test_csv_has_a_bom_machine_headers_and_neutralised_text():
    response = get("csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="things-')
    rows = csv_rows(b"".join(response.streaming_content))
    assert rows[0] == ["name", "revenue", "day", "level"]
    assert rows[1] == ['\'=HYPERLINK("http://x")', "-12.50", "2026-01-31", "high"]
    assert rows[2] == ["צינורות בע״מ", "", "", "low"]
    assert [row[0] for row in rows[3:]] == ["'+1", "'-2", "'@SUM(A1)", "'\tTab", "'\rCR"]
    assert rows[3][3] == "'@x"


def test_xlsx_has_labels_typed_cells_and_neutralised_text():
    response = get("xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(b"".join(response.streaming_content))
    assert rows[0] == ["Name", "Revenue", "Day", "Level"]
    assert rows[1] == ['\'=HYPERLINK("http://x")', "-12.5", "46053", "HIGH"]  # 2026-01-31
    assert rows[2] == ["צינורות בע״מ", "", "", "LOW"]
    assert [row[0] for row in rows[3:]] == ["'+1", "'-2", "'@SUM(A1)", "'\tTab", "'\rCR"]
    assert rows[3][3] == "'@X"


def test_an_unknown_format_is_a_400_naming_it():
    response = get("pdf")
    assert response.status_code == 400
    assert "pdf" in response.content.decode()


@pytest.mark.slow
def test_xlsx_writes_100000_rows_in_constant_memory(tmp_path):
    """Python's allocations stay under a few MB while 100,000 rows are written: rows go to
    disk as they come (a sheet held in memory would take well over 100 MB)."""
    columns = (
        Column("n", "N", lambda n: n, export.NUMBER),
        Column("name", "Name", lambda n: f"Customer {n}"),
        Column("revenue", "Revenue", lambda n: Decimal(n) / 4, MONEY),
    )
    path = tmp_path / "big.xlsx"
    tracemalloc.start()
    try:
        written = export.write_xlsx(str(path), columns, range(100_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert written == 100_000
    assert peak < 8_000_000, peak
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert '<dimension ref="A1:C100001"/>' in sheet
    assert "Customer 99999" in sheet[-2000:]
