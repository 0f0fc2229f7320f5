"""Pure per-column parsers: each takes the stripped cell text and returns a value or raises
ValueError with a message for a person. No database, no settings: tested on plain strings."""

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from accounts.models import Channel
from kam_portal.limits import date_problem

Parser = Callable[[str], object]

# ASCII digits only: \d would also take Arabic-Indic digits, which Decimal() then reads.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_AMOUNT = re.compile(r"[+-]?(\d+)(?:\.\d{1,2})?", re.ASCII)
_TRUE = frozenset({"1", "true", "yes"})
_FALSE = frozenset({"", "0", "false", "no"})
SHOWN_MAX = 64  # the longest key: an error quotes any id whole


def shown(raw: str) -> str:
    """A cell as an error message quotes it: on one line (control and other invisible
    characters escaped, as \\n or \\u200f) and at most SHOWN_MAX characters long."""
    text = raw if len(raw) <= SHOWN_MAX else raw[:SHOWN_MAX] + "…"
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def storable(raw: str) -> str:
    """`raw` unless it holds a character no text column can store: PostgreSQL refuses NUL
    (every other character, control characters included, is stored as it is)."""
    position = raw.find("\x00")
    if position >= 0:
        raise ValueError(
            _("contains a NUL character (byte 0) at character %(position)d; remove it")
            % {"position": position + 1}
        )
    return raw


def required_text(max_length: int) -> Parser:
    def parse(raw: str) -> str:
        if not raw:
            raise ValueError(_("a value is required"))
        return _within(raw, max_length)

    return parse


def optional_text(max_length: int) -> Parser:
    """Blank is allowed and comes back as ''."""

    def parse(raw: str) -> str:
        return _within(raw, max_length)

    return parse


def _within(raw: str, max_length: int) -> str:
    if len(raw) > max_length:
        raise ValueError(
            _("is %(length)d characters long; at most %(max)d are allowed")
            % {"length": len(raw), "max": max_length}
        )
    return raw


def iso_date(raw: str) -> dt.date:
    """A YYYY-MM-DD date within kam_portal.limits' range (the nightly SQL's)."""
    day = _calendar_date(raw)
    problem = date_problem(day)
    if problem is not None:
        raise ValueError(problem)
    return day


def _calendar_date(raw: str) -> dt.date:
    # fromisoformat alone would also take "20260115" and week dates; the format is YYYY-MM-DD.
    if _DATE.fullmatch(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise ValueError(_('"%(value)s" is not a date in YYYY-MM-DD form') % {"value": shown(raw)})


def amount(*, integer_digits: int, blank: bool) -> Parser:
    """A decimal with at most 2 places, possibly negative (returns); blank -> None if allowed."""

    def parse(raw: str) -> Decimal | None:
        if not raw:
            if blank:
                return None
            raise ValueError(_("a value is required"))
        match = _AMOUNT.fullmatch(raw)
        if match is None:
            raise ValueError(
                _('"%(value)s" is not an amount with at most 2 decimal places (e.g. -1234.50)')
                % {"value": shown(raw)}
            )
        if len(match.group(1).lstrip("0")) > integer_digits:
            raise ValueError(
                _('"%(value)s" is too large: at most %(digits)d digits before the point')
                % {"value": shown(raw), "digits": integer_digits}
            )
        return Decimal(raw)

    return parse


def flag(raw: str) -> bool:
    """Blank, 0, 1, true, false, yes, no in any case; blank is False."""
    lowered = raw.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(
        _('"%(value)s" is not a yes/no value; use one of: 1, 0, true, false, yes, no or blank')
        % {"value": shown(raw)}
    )


_CHANNELS = frozenset(Channel.values)


def channel(raw: str) -> str:
    """A Channel code in any case; blank means 'other'."""
    if not raw:
        return Channel.OTHER.value
    code = raw.lower()
    if code in _CHANNELS:
        return code
    raise ValueError(
        _('"%(value)s" is not a channel; use one of: %(codes)s')
        % {"value": shown(raw), "codes": ", ".join(Channel.values)}
    )


_EMAIL_MAX = 254


def email(raw: str) -> str:
    """Blank, or an e-mail address as Django's EmailField accepts it."""
    if not raw:
        return raw
    try:
        validate_email(_within(raw, _EMAIL_MAX))
    except ValidationError:
        raise ValueError(
            _('"%(value)s" is not an e-mail address') % {"value": shown(raw)}
        ) from None
    return raw


def code(codes: Sequence[str]) -> Parser:
    """One of `codes` in any case (required)."""
    known = frozenset(codes)

    def parse(raw: str) -> str:
        if not raw:
            raise ValueError(_("a value is required"))
        value = raw.lower()
        if value in known:
            return value
        raise ValueError(
            _('"%(value)s" is not one of: %(codes)s')
            % {"value": shown(raw), "codes": ", ".join(codes)}
        )

    return parse


_WHOLE = re.compile(r"\d+", re.ASCII)


def whole_number(*, low: int, high: int) -> Parser:
    """Blank (None) or a whole number from `low` to `high`."""

    def parse(raw: str) -> int | None:
        if not raw:
            return None
        if not _WHOLE.fullmatch(raw) or not low <= int(raw) <= high:
            raise ValueError(
                _('"%(value)s" is not a whole number from %(low)d to %(high)d')
                % {"value": shown(raw), "low": low, "high": high}
            )
        return int(raw)

    return parse
