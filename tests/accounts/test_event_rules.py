"""What an entry in the log must hold and how long its author may change it: pure rules, no
database. Each edge is pinned."""

import datetime as dt

import pytest
from django.utils import translation

from accounts.event_rules import (
    EventEntry,
    event_date_problem,
    event_entry_problems,
    event_still_changeable,
)
from accounts.models import EventKind
from kam_portal.limits import EARLIEST_DATE, LATEST_DATE

TODAY = dt.date(2026, 11, 20)
FIRST_ORDER = dt.date(2024, 3, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def date_problem(day: dt.date, first: dt.date | None = FIRST_ORDER) -> str | None:
    return event_date_problem(day, today=TODAY, first_order_on=first)


class TestDate:
    def test_today_is_accepted(self):
        assert date_problem(TODAY) is None

    def test_tomorrow_is_in_the_future(self):
        assert date_problem(TODAY + dt.timedelta(days=1)) == "The date cannot be in the future."

    def test_the_day_of_the_first_order_is_accepted(self):
        assert date_problem(FIRST_ORDER) is None

    def test_the_day_before_the_first_order_is_refused_naming_it(self):
        assert date_problem(FIRST_ORDER - dt.timedelta(days=1)) == (
            "The date cannot be before the account's first order, on 01/03/2024."
        )

    def test_an_account_without_orders_has_no_lower_bound_but_the_range(self):
        assert date_problem(EARLIEST_DATE, first=None) is None
        assert "outside the accepted dates" in date_problem(
            EARLIEST_DATE - dt.timedelta(days=1), first=None
        )

    def test_a_date_past_the_range_says_so_rather_than_the_future(self):
        problem = event_date_problem(
            LATEST_DATE + dt.timedelta(days=1), today=LATEST_DATE, first_order_on=None
        )
        assert "outside the accepted dates" in problem


def problems(kind: str, **fields) -> dict[str, str]:
    entry = EventEntry(kind=kind, occurred_on=TODAY, **fields)
    return event_entry_problems(entry, today=TODAY, first_order_on=FIRST_ORDER)


class TestContent:
    @pytest.mark.parametrize(
        "kind",
        [
            EventKind.MEETING,
            EventKind.CALL,
            EventKind.COMPLAINT,
            EventKind.ORG_CHANGE,
            EventKind.NOTE,
        ],
    )
    def test_a_note_kind_needs_its_text(self, kind):
        assert problems(kind, text="Met the buyer") == {}
        assert problems(kind, text="  ") == {"text": "Say what happened."}

    def test_competitor_activity_needs_the_competitor_and_the_offer(self):
        assert problems(EventKind.COMPETITOR, competitor="Rival", offer="5% off") == {}
        assert problems(EventKind.COMPETITOR) == {
            "competitor": "Name the competitor.",
            "offer": "Say what the competitor offered.",
        }

    @pytest.mark.parametrize(("score", "accepted"), [(0, True), (10, True), (11, False)])
    def test_a_satisfaction_score_from_0_to_10(self, score, accepted):
        assert (problems(EventKind.SATISFACTION, score=score) == {}) is accepted

    def test_a_satisfaction_entry_needs_its_score(self):
        assert set(problems(EventKind.SATISFACTION)) == {"score"}

    def test_a_score_or_a_competitor_only_where_the_kind_has_one(self):
        assert set(problems(EventKind.NOTE, text="x", score=3)) == {"score"}
        assert set(problems(EventKind.NOTE, text="x", competitor="Rival")) == {"competitor"}

    def test_an_unknown_kind_is_refused(self):
        assert problems("rumour", text="x") == {"kind": "Choose what happened."}

    def test_a_bad_date_and_a_missing_text_are_both_named(self):
        entry = EventEntry(kind=EventKind.CALL, occurred_on=TODAY + dt.timedelta(days=1))
        found = event_entry_problems(entry, today=TODAY, first_order_on=None)
        assert set(found) == {"text", "occurred_on"}


class TestEditWindow:
    WRITTEN = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)

    @pytest.mark.parametrize(
        ("after", "changeable"),
        [
            (dt.timedelta(0), True),
            (dt.timedelta(hours=23, minutes=59, seconds=59, microseconds=999999), True),
            (dt.timedelta(hours=24), False),
            (dt.timedelta(days=3), False),
        ],
    )
    def test_the_author_has_24_hours(self, after, changeable):
        now = self.WRITTEN + after
        assert event_still_changeable(created_at=self.WRITTEN, now=now) is changeable
