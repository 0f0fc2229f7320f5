"""How the imports page shows a cell as the portal reads it (the preview)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def as_read(value: Any) -> str:
    """A parsed cell in words: a date spelled out (so a day and month read the wrong way
    round show), an amount with its separators, yes / no, or — for blank."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")  # the month in words: never read the wrong way
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, force_grouping=True)
    return str(value)
