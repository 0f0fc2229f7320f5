"""What a contact's dates must be. Pure: today is an argument."""

import datetime as dt

from django.utils.translation import gettext as _

from kam_portal.limits import date_problem


def contact_day_problem(day: dt.date | None, *, today: dt.date) -> str | None:
    """A start or end date: within the accepted range and not in the future (or not given)."""
    if day is None:
        return None
    if (outside := date_problem(day)) is not None:
        return outside
    if day > today:
        return _("The date cannot be in the future.")
    return None


def contact_dates_problems(
    *, started_on: dt.date | None, ended_on: dt.date | None, today: dt.date
) -> dict[str, str]:
    """Every reason to refuse a contact's dates, by field name; empty when they are accepted."""
    problems = {
        name: problem
        for name, day in (("started_on", started_on), ("ended_on", ended_on))
        if (problem := contact_day_problem(day, today=today)) is not None
    }
    if not problems and started_on and ended_on and ended_on < started_on:
        problems["ended_on"] = _("The end date cannot be before the start date.")
    return problems
