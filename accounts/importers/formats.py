"""How a file writes dates and numbers, and the parsers that read them. Pure: no database.

ERP extracts (Priority, SAP Business One, spreadsheets) write `31/01/2026` or `31/01/26` and
`1,234.50` or `1.234,50`; the portal's own format is `2026-01-31` and `1234.50`. The default
formats parse exactly as the original importers did, with the same messages.

Two-digit years: 80-99 are 1980-1999 and 00-79 are 2000-2079 (TWO_DIGIT_PIVOT). Every such date
then falls inside the accepted range (kam_portal.limits, from 1980-01-01), so the pivot never
turns a plausible date into a refused one.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.importers import parsers
from accounts.importers.parsers import Parser, shown
from kam_portal.limits import date_problem

TWO_DIGIT_PIVOT = 80  # YY >= 80 -> 19YY, YY < 80 -> 20YY

ISO = "iso"
DMY = "dmy"
DMY2 = "dmy2"
DATE_FORMATS = {
    ISO: gettext_lazy("YYYY-MM-DD (2026-01-31)"),
    DMY: gettext_lazy("DD/MM/YYYY (31/01/2026)"),
    DMY2: gettext_lazy("DD/MM/YY (31/01/26)"),
}

PLAIN = "plain"
COMMA_THOUSANDS = "comma"
DOT_THOUSANDS = "dot"
COMMA_DECIMAL = "comma_decimal"
# name -> (thousands separator, decimal mark)
NUMBER_FORMATS: dict[str, tuple[str, str]] = {
    PLAIN: ("", "."),
    COMMA_THOUSANDS: (",", "."),
    DOT_THOUSANDS: (".", ","),
    COMMA_DECIMAL: ("", ","),
}
NUMBER_FORMAT_LABELS = {
    PLAIN: gettext_lazy("1234.50 (no thousands separator)"),
    COMMA_THOUSANDS: gettext_lazy("1,234.50 (comma thousands, point decimal)"),
    DOT_THOUSANDS: gettext_lazy("1.234,50 (point thousands, comma decimal)"),
    COMMA_DECIMAL: gettext_lazy("1234,50 (comma decimal)"),
}

# Day and month of one or two digits (spreadsheets drop the zero), "/", "." or "-" between.
_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})", re.ASCII)
_DMY2 = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{2})", re.ASCII)


@dataclass(frozen=True)
class Formats:
    date: str = ISO
    number: str = PLAIN

    def __post_init__(self) -> None:
        if self.date not in DATE_FORMATS:
            raise ValueError(f"unknown date format {self.date!r}")
        if self.number not in NUMBER_FORMATS:
            raise ValueError(f"unknown number format {self.number!r}")


DEFAULT = Formats()


def two_digit_year(yy: int) -> int:
    return (1900 if yy >= TWO_DIGIT_PIVOT else 2000) + yy


def date_parser(name: str) -> Parser:
    """A parser for dates written in format `name`, within the accepted range."""
    if name == ISO:
        return parsers.iso_date
    pattern, example = (_DMY, "DD/MM/YYYY") if name == DMY else (_DMY2, "DD/MM/YY")

    def parse(raw: str) -> dt.date:
        match = pattern.fullmatch(raw)
        day = _dmy_date(match) if match else None
        if day is None:
            raise ValueError(
                _('"%(value)s" is not a date in %(form)s form')
                % {"value": shown(raw), "form": example}
            )
        problem = date_problem(day)
        if problem is not None:
            raise ValueError(problem)
        return day

    return parse


def _dmy_date(match: re.Match[str]) -> dt.date | None:
    day, _separator, month, year = match.groups()
    full_year = int(year) if len(year) == 4 else two_digit_year(int(year))
    try:
        return dt.date(full_year, int(month), int(day))
    except ValueError:
        return None


def optional_date_parser(name: str) -> Parser:
    """As date_parser, but a blank cell is None."""
    required = date_parser(name)

    def parse(raw: str) -> object:
        return required(raw) if raw else None

    return parse


def amount_parser(name: str, *, integer_digits: int, blank: bool) -> Parser:
    """Amounts written in number format `name`, checked as parsers.amount checks them."""
    plain = parsers.amount(integer_digits=integer_digits, blank=blank)
    if name == PLAIN:
        return plain
    thousands, decimal = NUMBER_FORMATS[name]
    grouped = _grouped_number(thousands, decimal)

    def parse(raw: str) -> Decimal | None:
        if raw and not grouped.fullmatch(raw):
            raise ValueError(
                _('"%(value)s" is not an amount written like %(example)s')
                % {"value": shown(raw), "example": _example(thousands, decimal)}
            )
        canonical = raw.replace(thousands, "") if thousands else raw
        value = plain(canonical.replace(decimal, "."))
        return value if isinstance(value, Decimal) or value is None else None

    return parse


def _grouped_number(thousands: str, decimal: str) -> re.Pattern[str]:
    """Digits in groups of three between separators (or no separator at all), then at most
    two decimals: a wrongly chosen format fails ("1,5" is not 15) instead of misreading."""
    t, d = re.escape(thousands), re.escape(decimal)
    whole = rf"(?:\d{{1,3}}(?:{t}\d{{3}})+|\d+)" if thousands else r"\d+"
    return re.compile(rf"[+-]?{whole}(?:{d}\d{{1,2}})?", re.ASCII)


def _example(thousands: str, decimal: str) -> str:
    return f"-1{thousands}234{decimal}50"
