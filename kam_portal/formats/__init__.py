"""How amounts, scores and dates read, in the reader's language: one function for each.

Templates use the filters of kam_portal/templatetags/formats.py (`|money`, `|score`,
`|percent` for a probability, `|points` for percentage points) and
Django's `|date:"SHORT_DATE_FORMAT"`; sentences built in Python (flag evidence, segment
reasons) call `money()` and `day()`, so a figure reads the same in a table and in a sentence.
The date formats per language are the modules kam_portal/formats/<language>/formats.py
(FORMAT_MODULE_PATH): day first in both languages, as the portal's Israeli users write dates.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language_bidi, pgettext

# Unicode's left-to-right isolate and its end: a signed number inside a right-to-left sentence
# keeps its sign on the left ("-5.8", not "5.8-"), as Hebrew writes numbers.
LTR_ISOLATE, END_ISOLATE = "\u2066", "\u2069"


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _rounded(number: Decimal, places: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money(value: Any, decimals: int = 0) -> str:
    """An amount with the currency sign (settings.CURRENCY_SYMBOL) and thousands separators:
    "₪58,196" in English, "58,196 ₪" in Hebrew (the catalogue places the sign); a negative
    one "-₪58,196", and in Hebrew the number isolated left to right with its minus, so that it
    shows "-58,196" in a right-to-left line. Rounded half up to `decimals` places. None gives
    ""; text that is not a number comes back unchanged, so evidence of an unexpected shape
    still shows."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    rounded = _rounded(number, decimals)
    amount = number_format(abs(rounded), decimal_pos=decimals, force_grouping=True)
    negative_rtl = rounded < 0 and get_language_bidi()
    if negative_rtl:  # "-4,190 ₪" would show "₪ 4,190-" in a right-to-left line
        amount = f"{LTR_ISOLATE}-{amount}{END_ISOLATE}"
    # Translators: an amount of money; %(symbol)s is the currency sign (₪), %(amount)s the
    # number with its separators. Hebrew puts the sign after the number, with a no-break space.
    text = pgettext("money", "%(symbol)s%(amount)s") % {
        "symbol": settings.CURRENCY_SYMBOL,
        "amount": amount,
    }
    return f"-{text}" if rounded < 0 and not negative_rtl else text


def score(value: Any) -> str:
    """A score (churn risk, relationship) with exactly one decimal: "0.7", "72.5", "80.0"."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    return number_format(_rounded(number, 1), decimal_pos=1)


def percent(value: Any) -> str:
    """A probability (0 to 1) as a whole percentage: "62%"; "<1%" for a chance above 0 that
    rounds to 0, so a small risk does not read as none. None gives ""."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    whole = _rounded(number * 100, 0)
    if whole == 0 and number > 0:
        return pgettext("percent", "<1%")
    # Translators: a percentage; %(value)s is the number.
    return pgettext("percent", "%(value)s%%") % {"value": number_format(whole, decimal_pos=0)}


def signed(value: Any, places: int = 1) -> str:
    """A change with its sign: "+5.8", "-5.8", "0.0" (rounded half up to `places`). In a
    right-to-left language it is isolated left to right, so a sentence shows its minus on the
    left. None gives ""; text that is not a number comes back unchanged."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    rounded = _rounded(number, places)
    sign = "+" if rounded > 0 else "-" if rounded < 0 else ""
    text = f"{sign}{number_format(abs(rounded), decimal_pos=places)}"
    return f"{LTR_ISOLATE}{text}{END_ISOLATE}" if get_language_bidi() else text


def points(value: Any) -> str:
    """Percentage points with their sign and one decimal: "+12.5", "-0.9", "0.0" (a flag's
    share of the probability), its minus on the left in Hebrew too."""
    return signed(value, 1)


def day(value: dt.date | dt.datetime | str | None) -> str:
    """A date in the reader's short date format ("28/11/2026"); accepts the ISO text that
    evidence stores in JSON. Text that is not an ISO date comes back unchanged."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return "" if value is None else date_format(value, "SHORT_DATE_FORMAT")
