"""How amounts, scores and dates read in each language (kam_portal.formats): the one function
for each, used by the templates' filters and by the sentences built in Python."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from kam_portal.formats import day, money, percent, points, score, signed

NBSP = "\u00a0"
LRI, PDI = "\u2066", "\u2069"  # a left-to-right isolate and its end


def in_language(language: str, function, *args):
    with translation.override(language):
        return function(*args)


class TestMoney:
    @pytest.mark.parametrize(
        ("value", "english", "hebrew"),
        [
            (58196, "₪58,196", f"58,196{NBSP}₪"),
            (Decimal("1234567.50"), "₪1,234,568", f"1,234,568{NBSP}₪"),
            ("999.49", "₪999", f"999{NBSP}₪"),
            (0, "₪0", f"0{NBSP}₪"),
            (Decimal("-0.4"), "₪0", f"0{NBSP}₪"),
            # Found in the browser: a return's "-4,191 ₪" showed "₪ 4,191-" in Hebrew.
            (-58196.5, "-₪58,197", f"{LRI}-58,197{PDI}{NBSP}₪"),
        ],
    )
    def test_sign_and_separators_in_each_language(self, value, english, hebrew):
        assert in_language("en", money, value) == english
        assert in_language("he", money, value) == hebrew

    def test_cents_on_request(self):
        assert in_language("en", money, Decimal("1234.5"), 2) == "₪1,234.50"

    def test_the_sign_is_a_setting(self, settings):
        settings.CURRENCY_SYMBOL = "€"
        assert in_language("en", money, 1000) == "€1,000"

    @pytest.mark.parametrize(("value", "shown"), [(None, ""), ("n/a", "n/a"), ("NaN", "NaN")])
    def test_what_is_not_an_amount_shows_as_it_is(self, value, shown):
        assert money(value) == shown


class TestPercent:
    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (Decimal("0.623"), "62%"),
            (Decimal("0.625"), "63%"),  # half up
            (1, "100%"),
            (0, "0%"),
            (Decimal("0.004"), "<1%"),  # a small chance does not read as none
            (Decimal("0.005"), "1%"),
            (None, ""),
        ],
    )
    def test_a_probability_reads_as_a_whole_percentage(self, value, shown):
        assert in_language("en", percent, value) == shown
        hebrew = "פחות מ-1%" if shown == "<1%" else shown  # in words: no mirrored sign
        assert in_language("he", percent, value) == hebrew

    def test_in_a_template(self):
        template = Template("{% load formats %}{{ p|percent }} {{ d|points }}")
        assert template.render(Context({"p": Decimal("0.62"), "d": 12.34})) == "62% +12.3"


class TestPoints:
    @pytest.mark.parametrize(
        ("value", "shown"),
        [(12.345, "+12.3"), (Decimal("-0.94"), "-0.9"), (0.04, "0.0"), (0, "0.0"), (None, "")],
    )
    def test_percentage_points_carry_their_sign(self, value, shown):
        assert points(value) == shown


class TestScore:
    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (Decimal("0.700000000000000"), "0.7"),
            (0.7, "0.7"),
            (Decimal("72.5"), "72.5"),
            (100, "100.0"),
            (35, "35.0"),
            (Decimal("12.25"), "12.3"),
        ],
    )
    def test_one_decimal(self, value, shown):
        assert in_language("en", score, value) == shown
        assert in_language("he", score, value) == shown

    def test_none_is_empty(self):
        assert score(None) == ""


class TestSigned:
    """Found in the browser: the dashboard's "-5.8 points over six months" showed "5.8-" in
    Hebrew; a change keeps its sign on the left in a right-to-left sentence."""

    @pytest.mark.parametrize(
        ("value", "english"),
        [(Decimal("5.84"), "+5.8"), (Decimal("-5.75"), "-5.8"), (0, "0.0"), (-0.04, "0.0")],
    )
    def test_a_change_with_its_sign_and_one_decimal(self, value, english):
        assert in_language("en", signed, value) == english
        assert in_language("he", signed, value) == f"{LRI}{english}{PDI}"

    def test_places_on_request(self):
        assert in_language("en", signed, Decimal("12.345"), 2) == "+12.35"

    @pytest.mark.parametrize(("value", "shown"), [(None, ""), ("n/a", "n/a")])
    def test_what_is_not_a_number_shows_as_it_is(self, value, shown):
        assert signed(value) == shown


class TestDay:
    @pytest.mark.parametrize("language", ["en", "he"])
    @pytest.mark.parametrize("value", [dt.date(2026, 11, 28), "2026-11-28"])
    def test_day_first_in_both_languages(self, language, value):
        assert in_language(language, day, value) == "28/11/2026"

    def test_an_aware_datetime_is_the_local_day(self):
        late = dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC)  # 01:30 on the 28th in Israel
        with timezone.override("Asia/Jerusalem"):
            assert day(late) == "28/11/2026"

    @pytest.mark.parametrize(("value", "shown"), [(None, ""), ("soon", "soon")])
    def test_what_is_not_a_date_shows_as_it_is(self, value, shown):
        assert day(value) == shown


@pytest.mark.parametrize("language", ["en", "he"])
def test_templates_format_dates_day_first(language):
    """The format modules (FORMAT_MODULE_PATH): English pages no longer read month/day/year."""
    template = Template(
        '{{ d|date:"SHORT_DATE_FORMAT" }} {{ d|date }} {{ t|date:"DATETIME_FORMAT" }}'
    )
    context = Context({"d": dt.date(2026, 11, 28), "t": dt.datetime(2026, 11, 28, 14, 5)})
    with translation.override(language):
        assert template.render(context) == "28/11/2026 28/11/2026 28/11/2026 14:05"


def test_the_filters_use_the_same_functions():
    template = Template("{% load formats %}{{ a|money }} {{ c|money:2 }} {{ s|score }}")
    context = Context({"a": Decimal("58196"), "c": Decimal("12.5"), "s": Decimal("0.7")})
    with translation.override("en"):
        assert template.render(context) == "₪58,196 ₪12.50 0.7"
