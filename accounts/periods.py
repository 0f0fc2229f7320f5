"""The one definition of the periods the portal compares, and of growth between two of them.

"The last 12 months" up to an as-of date are the orders after the same calendar day a year
before, up to and including the as-of date; "the 12 months before" end where they begin. The
ORM filters (`Window.last_year`, `Window.year_before`) and the SQL parameters of the nightly
run (`Window.sql_params`) come from the same dates, so a page and the engine never disagree.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

TENTH = Decimal("0.1")


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Window:
    """The trailing year ending on `as_of` (inclusive) and the year before it."""

    as_of: dt.date

    @property
    def start(self) -> dt.date:
        """First day *outside* the trailing year: orders after it count."""
        return years_before(self.as_of, 1)

    @property
    def previous_start(self) -> dt.date:
        return years_before(self.as_of, 2)

    def last_year(self) -> Q:
        return Q(ordered_on__gt=self.start, ordered_on__lte=self.as_of)

    def year_before(self) -> Q:
        return Q(ordered_on__gt=self.previous_start, ordered_on__lte=self.start)

    @property
    def days(self) -> int:
        """The trailing year's length: 366 when it spans a 29 February."""
        return (self.as_of - self.start).days

    def sql_params(self) -> dict[str, dt.date | int]:
        """The same bounds for raw SQL: `ordered_on > %(year_start)s` is the last year,
        `ordered_on > %(prev_start)s AND ordered_on <= %(year_start)s` the year before, and
        `%(year_days)s` its length in days."""
        return {"year_start": self.start, "prev_start": self.previous_start, "year_days": self.days}


def growth_pct(current: Decimal, previous: Decimal) -> Decimal | None:
    """Change from `previous` to `current` in percent, to one decimal (half up); None unless
    `previous` is positive (growth from nothing, or from a loss, has no percentage)."""
    if previous <= 0:
        return None
    return ((current - previous) / previous * 100).quantize(TENTH, ROUND_HALF_UP)


def growth_pct_sql(current: str, previous: str) -> str:
    """`growth_pct` as a SQL expression over two columns (unrounded: it ranks customers)."""
    return f"CASE WHEN {previous} > 0 THEN ({current} - {previous}) * 100.0 / {previous} END"
