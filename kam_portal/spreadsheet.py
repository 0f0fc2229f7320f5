"""Spreadsheet-safe cells for every export, CSV or XLSX (OWASP "CSV Injection").

A spreadsheet runs a cell that starts with =, +, -, @, a tab or a carriage return as a formula,
so a customer named `=HYPERLINK(...)` would run in the reader's spreadsheet. Every text cell that
starts with one of them gets a leading single quote, which spreadsheets read as "this is text"
(and hide). The CSV writer's quoting (RFC 4180) keeps a comma or quote inside a cell from
starting a new cell, so only the first character of each cell needs the check.

Only text is neutralised. A real number (int, float, Decimal, such as a negative revenue) is
written as the number it is, so that spreadsheets still sum it; dates stay dates for XLSX.
Text that merely looks like a number ("-12" as an ERP id) is still text, and is prefixed:
telling "-12" from "-1+cmd|..." would mean parsing formulas, which OWASP advises against.
"""

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Written as they are: values, never formulas (bool is an int).
_NOT_TEXT = (int, float, Decimal, dt.date, dt.time, dt.timedelta)


def neutralise(value: Any) -> Any:
    """`value` as a cell: None and numbers unchanged, text prefixed with ' when a spreadsheet
    would read it as a formula. Anything else is written as its text (a lazy translation...)."""
    if value is None or isinstance(value, _NOT_TEXT):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in values]


def neutralise_mapping(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: neutralise(value) for key, value in row.items()}


class DictWriter(csv.DictWriter):
    """csv.DictWriter whose every row (the header too) is neutralised."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow(neutralise_mapping(rowdict))

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for rowdict in rowdicts:
            self.writerow(rowdict)
