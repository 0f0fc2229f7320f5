"""The per-column parsers: pure functions, no database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.importers import parsers
from accounts.importers.csvfile import header_problems

EXPECTED = ["external_ref", "customer_external_id", "ordered_on"]


@pytest.fixture(autouse=True)
def english():
    """The messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def test_a_date_in_iso_form_parses():
    assert parsers.iso_date("2026-01-15") == dt.date(2026, 1, 15)


@pytest.mark.parametrize(
    "raw", ["2026-13-01", "2026-02-30", "20260115", "15/01/2026", "", "2026-1-5"]
)
def test_anything_but_a_real_yyyy_mm_dd_date_is_refused(raw):
    with pytest.raises(ValueError, match=r"is not a date in YYYY-MM-DD form"):
        parsers.iso_date(raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1234.50", Decimal("1234.50")),
        ("-10", Decimal("-10")),
        ("+3.1", Decimal("3.1")),
        ("0.99", Decimal("0.99")),
        ("999999999999.99", Decimal("999999999999.99")),
    ],
)
def test_amounts_with_up_to_two_places_parse_and_may_be_negative(raw, value):
    assert parsers.amount(integer_digits=12, blank=False)(raw) == value


@pytest.mark.parametrize(
    "raw", ["1.234", "1,000", "1e3", "NaN", "Infinity", "abc", "1.", ".5", "1_000"]
)
def test_anything_else_is_not_an_amount(raw):
    with pytest.raises(ValueError, match="is not an amount with at most 2 decimal places"):
        parsers.amount(integer_digits=12, blank=False)(raw)


def test_an_amount_too_large_for_the_column_is_refused():
    with pytest.raises(ValueError, match="at most 12 digits before the point"):
        parsers.amount(integer_digits=12, blank=False)("1000000000000")


def test_a_blank_amount_is_none_where_allowed_and_required_elsewhere():
    assert parsers.amount(integer_digits=12, blank=True)("") is None
    with pytest.raises(ValueError, match="a value is required"):
        parsers.amount(integer_digits=12, blank=False)("")


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("", False),
        ("0", False),
        ("1", True),
        ("TRUE", True),
        ("false", False),
        ("Yes", True),
        ("no", False),
    ],
)
def test_flags_accept_the_usual_spellings_in_any_case(raw, value):
    assert parsers.flag(raw) is value


def test_an_unknown_flag_is_refused():
    with pytest.raises(ValueError, match='"maybe" is not a yes/no value'):
        parsers.flag("maybe")


def test_a_blank_channel_means_other_and_codes_match_in_any_case():
    assert parsers.channel("") == "other"
    assert parsers.channel("Field_Sales") == "field_sales"


def test_an_unknown_channel_lists_the_valid_codes():
    with pytest.raises(ValueError) as caught:
        parsers.channel("fax")
    assert str(caught.value) == (
        '"fax" is not a channel; use one of: phone, message, sms, website, field_sales, '
        "service_desk, technical, other"
    )


def test_text_is_required_or_optional_and_never_longer_than_its_column():
    assert parsers.optional_text(5)("") == ""
    assert parsers.required_text(5)("abcde") == "abcde"
    with pytest.raises(ValueError, match="a value is required"):
        parsers.required_text(5)("")
    with pytest.raises(ValueError, match="is 6 characters long; at most 5 are allowed"):
        parsers.optional_text(5)("abcdef")


def test_a_complete_header_in_any_order_has_no_problems():
    assert header_problems(["ordered_on", "external_ref", "customer_external_id"], EXPECTED) == []


def test_header_problems_name_missing_misspelled_extra_and_repeated_columns():
    header = ["external_ref", "orderd_on", "notes", "external_ref"]
    assert header_problems(header, EXPECTED) == [
        "missing customer_external_id, ordered_on",
        'unknown column "orderd_on" (did you mean "ordered_on"?)',
        'unknown column "notes"',
        "repeated external_ref",
    ]
