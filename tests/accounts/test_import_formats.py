"""Date and number formats of ERP files, pinned on plain strings (no database)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.importers import formats
from accounts.importers.csvfile import mapping_problems


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("name", "raw", "day"),
    [
        ("iso", "2026-01-31", dt.date(2026, 1, 31)),
        ("dmy", "31/01/2026", dt.date(2026, 1, 31)),
        ("dmy", "1/2/2026", dt.date(2026, 2, 1)),
        ("dmy", "01.02.2026", dt.date(2026, 2, 1)),
        ("dmy", "01-02-2026", dt.date(2026, 2, 1)),
        ("dmy2", "31/01/26", dt.date(2026, 1, 31)),
        ("dmy2", "29/02/24", dt.date(2024, 2, 29)),
    ],
)
def test_dates_in_each_format(name, raw, day):
    assert formats.date_parser(name)(raw) == day


@pytest.mark.parametrize(
    ("yy", "year"), [(0, 2000), (26, 2026), (79, 2079), (80, 1980), (99, 1999)]
)
def test_the_two_digit_year_pivot(yy, year):
    assert formats.two_digit_year(yy) == year
    assert formats.date_parser("dmy2")(f"01/01/{yy:02d}").year == year


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("dmy", "31/02/2026", '"31/02/2026" is not a date in DD/MM/YYYY form'),
        ("dmy", "2026-01-31", '"2026-01-31" is not a date in DD/MM/YYYY form'),
        ("dmy", "31/01/26", '"31/01/26" is not a date in DD/MM/YYYY form'),
        ("dmy", "31/01-2026", '"31/01-2026" is not a date in DD/MM/YYYY form'),
        ("dmy2", "31/01/2026", '"31/01/2026" is not a date in DD/MM/YY form'),
        ("dmy2", "١/١/٢٦", '"١/١/٢٦" is not a date in DD/MM/YY form'),
        ("dmy", "01/01/1979", "1979-01-01 is outside the accepted dates, 1980-01-01 to 2099-12-31"),
        ("iso", "31/01/2026", '"31/01/2026" is not a date in YYYY-MM-DD form'),
    ],
)
def test_bad_dates_say_which_form_was_expected(name, raw, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        formats.date_parser(name)(raw)


def test_a_blank_optional_date_is_none():
    assert formats.optional_date_parser("dmy")("") is None


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("plain", "1234.50", Decimal("1234.50")),
        ("comma", "1,234.50", Decimal("1234.50")),
        ("comma", "1234.50", Decimal("1234.50")),
        ("comma", "-1,234,567.5", Decimal("-1234567.5")),
        ("dot", "1.234,50", Decimal("1234.50")),
        ("dot", "-12,5", Decimal("-12.5")),
        ("dot", "1.000.000", Decimal("1000000")),
        ("comma_decimal", "1234,50", Decimal("1234.50")),
    ],
)
def test_amounts_in_each_number_format(name, raw, value):
    assert formats.amount_parser(name, integer_digits=12, blank=False)(raw) == value


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("comma", "1,5"),  # not thousands: refused, never read as 15
        ("comma", "12,34,567"),
        ("comma", "1.234,50"),
        ("dot", "1,234.50"),
        ("dot", "1.5"),
        ("comma_decimal", "1.234,50"),
        ("comma", "1,234.567"),
    ],
)
def test_an_amount_in_another_format_is_refused_not_misread(name, raw):
    with pytest.raises(ValueError, match="is not an amount written like"):
        formats.amount_parser(name, integer_digits=12, blank=False)(raw)


def test_amount_limits_still_hold_in_other_formats():
    parse = formats.amount_parser("comma", integer_digits=3, blank=True)
    assert parse("") is None
    with pytest.raises(ValueError, match="too large"):
        parse("1,234.00")


def test_the_default_formats_parse_as_the_original_importers():
    assert formats.date_parser("iso") is formats.parsers.iso_date
    assert formats.Formats("iso", "plain") == formats.DEFAULT


def test_unknown_format_names_are_refused():
    with pytest.raises(ValueError):
        formats.Formats("mdy", "plain")


def test_mapping_problems_name_each_column():
    header = ["Doc", "Date", "Date", "Total"]
    problems = mapping_problems(
        header,
        ["external_ref", "ordered_on", "revenue", "channel"],
        {"external_ref": "Doc", "ordered_on": "Date", "revenue": "Sum"},
        optional=["channel"],
    )
    assert problems == [
        'the file has two columns named "Date" (chosen for ordered_on)',
        'the file has no column "Sum" (chosen for revenue)',
    ]
    assert mapping_problems(header, ["external_ref"], {}) == [
        "no file column is chosen for external_ref"
    ]
