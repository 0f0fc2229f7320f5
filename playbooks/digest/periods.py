"""Which digest period a day opens for a user's frequency: pure, no clock."""

import datetime as dt
from dataclasses import dataclass

from playbooks.enums import DigestFrequency

SUNDAY = 6  # date.weekday()


@dataclass(frozen=True)
class Period:
    """One digest period: `key` is what makes it sent once; it covers `days` days from `start`."""

    key: str
    start: dt.date
    days: int

    @property
    def end(self) -> dt.date:
        """The last day the digest looks ahead to (tasks and assessments due by then)."""
        return self.start + dt.timedelta(days=self.days - 1)


def digest_period(frequency: str, *, today: dt.date) -> Period | None:
    """The period a digest sent `today` covers: every day for a daily digest, Sundays for a
    weekly one; None when no digest is due today (or the user turned it off)."""
    if frequency == DigestFrequency.DAILY:
        return Period(f"daily:{today.isoformat()}", today, 1)
    if frequency == DigestFrequency.WEEKLY and today.weekday() == SUNDAY:
        return Period(f"weekly:{today.isoformat()}", today, 7)
    return None
