"""What an entry in an account's log must hold, and how long its author may change it.

Pure functions: the dates they judge against (today, the account's first order, the moment of
the request) are arguments; no ORM, no clock, no settings. The services (accounts.events) feed
them and write.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import EventKind
from kam_portal.formats import day as day_text
from kam_portal.limits import date_problem

# The author may edit or delete an entry for this long after writing it.
EDIT_WINDOW = dt.timedelta(hours=24)
SCORE_MIN, SCORE_MAX = 0, 10


@dataclass(frozen=True)
class EventEntry:
    """What a person types into the log form."""

    kind: str
    occurred_on: dt.date
    text: str = ""
    score: int | None = None
    competitor: str = ""
    offer: str = ""


def event_date_problem(
    occurred_on: dt.date, *, today: dt.date, first_order_on: dt.date | None
) -> str | None:
    """Why the date is refused, in words; None when it is accepted. Never in the future, never
    before the account's first order (when it has one), always within the accepted range."""
    if (outside := date_problem(occurred_on)) is not None:
        return outside
    if occurred_on > today:
        return _("The date cannot be in the future.")
    if first_order_on is not None and occurred_on < first_order_on:
        return _("The date cannot be before the account's first order, on %(day)s.") % {
            "day": day_text(first_order_on)
        }
    return None


def _content_problems(entry: EventEntry) -> dict[str, str]:
    """The fields each kind needs; a score or a competitor only where the kind has one."""
    problems: dict[str, str] = {}
    if entry.kind == EventKind.SATISFACTION:
        if entry.score is None or not SCORE_MIN <= entry.score <= SCORE_MAX:
            problems["score"] = _("Give a satisfaction score from 0 to 10.")
    elif entry.score is not None:
        problems["score"] = _("Only a satisfaction entry has a score.")
    if entry.kind == EventKind.COMPETITOR:
        if not entry.competitor.strip():
            problems["competitor"] = _("Name the competitor.")
        if not entry.offer.strip():
            problems["offer"] = _("Say what the competitor offered.")
    elif entry.competitor or entry.offer:
        problems["competitor"] = _("Only competitor activity names a competitor.")
    needs_text = entry.kind not in (EventKind.SATISFACTION, EventKind.COMPETITOR)
    if needs_text and not entry.text.strip():
        problems["text"] = _("Say what happened.")
    return problems


def event_entry_problems(
    entry: EventEntry, *, today: dt.date, first_order_on: dt.date | None
) -> dict[str, str]:
    """Every reason to refuse the entry, by field name; empty when it may be written."""
    if entry.kind not in EventKind.values:
        return {"kind": _("Choose what happened.")}
    problems = _content_problems(entry)
    date = event_date_problem(entry.occurred_on, today=today, first_order_on=first_order_on)
    if date is not None:
        problems["occurred_on"] = date
    return problems


def event_still_changeable(*, created_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether an entry written at `created_at` may still be edited or deleted at `now`: for
    24 hours, up to but not including the moment the 24th hour ends."""
    return now - created_at < EDIT_WINDOW
