"""What the portal accepts from outside (imports, forms, the API), defined once for all of them.

Dates: EARLIEST_DATE to LATEST_DATE. The nightly churn features square the gap in days between
two orders of a customer, and on PostgreSQL `date - date` is a 32-bit integer, so no two stored
dates may lie more than 46,340 days apart (46,341 squared overflows). 1980-01-01 to 2099-12-31
is 43,829 days: any ERP history and this century's orders, with a tenth to spare. 1900-01-01
would not do: an order on it and one on or after 2026-11-17 overflow.

Numbers: a form field is bounded to what its column holds (PostgreSQL's ranges; SQLite holds
more), so an oversized value is a form error naming the field, never a database error.
"""

import datetime as dt
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

EARLIEST_DATE = dt.date(1980, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)

# Internal type -> (lowest, highest) value its PostgreSQL column holds.
INTEGER_RANGES: dict[str, tuple[int, int]] = BaseDatabaseOperations.integer_field_ranges


def date_problem(day: dt.date) -> str | None:
    """Why `day` is refused, in words; None when it is within the accepted range."""
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return _("%(day)s is outside the accepted dates, %(earliest)s to %(latest)s") % {
        "day": day.isoformat(),
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }


def validate_date_in_range(day: dt.date) -> None:
    """A Django validator: forms (and model fields) refuse a date outside the range."""
    problem = date_problem(day)
    if problem is not None:
        raise ValidationError(problem, code="date_out_of_range")


def date_input_attrs() -> dict[str, str]:
    """min / max for an HTML date input, so the browser's picker offers only accepted days."""
    return {"type": "date", "min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}


def column_bounds(model: type[models.Model], name: str) -> dict[str, Any]:
    """Form-field arguments that keep a value within what the column `model.name` holds:
    min_value / max_value for an integer column (or a foreign key), max_digits /
    decimal_places for a decimal one."""
    field = cast(models.Field, model._meta.get_field(name))  # a column, not a relation object
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    if isinstance(field, models.DecimalField):
        return {"max_digits": field.max_digits, "decimal_places": field.decimal_places}
    low, high = INTEGER_RANGES[field.get_internal_type()]
    return {"min_value": low, "max_value": high}
