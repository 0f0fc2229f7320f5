"""Logging, editing and deleting entries (accounts.events): the rules hold, only the author
changes an entry and only for 24 hours, and every change is kept in the history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.events import (
    EventNotChangeable,
    account_event_delete,
    account_event_edit,
    account_event_log,
)
from accounts.models import AccountEvent, EventKind
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
Z = dt.UTC


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def log(account, by, **fields) -> AccountEvent:
    entry = {"kind": EventKind.CALL, "occurred_on": TODAY, "text": "Called the buyer"} | fields
    return account_event_log(account=account, by=by, today=TODAY, **entry)


def refusal(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


class TestLog:
    def test_it_records_the_entry_with_its_author(self, own_account, account_manager):
        event = log(own_account, account_manager)
        stored = AccountEvent.objects.get()
        assert (stored.kind, stored.occurred_on, stored.text) == ("call", TODAY, "Called the buyer")
        assert stored.author == account_manager and event.pk == stored.pk

    def test_competitor_activity_keeps_the_competitor_and_the_offer(
        self, own_account, account_manager
    ):
        log(
            own_account,
            account_manager,
            kind=EventKind.COMPETITOR,
            competitor=" Rival Ltd ",
            offer="10% off steel",
            text="",
        )
        stored = AccountEvent.objects.get()
        assert (stored.competitor, stored.offer) == ("Rival Ltd", "10% off steel")

    def test_a_satisfaction_score_is_stored(self, own_account, account_manager):
        log(own_account, account_manager, kind=EventKind.SATISFACTION, score=4, text="")
        assert AccountEvent.objects.get().score == 4

    def test_a_future_date_is_refused_and_nothing_is_written(self, own_account, account_manager):
        with pytest.raises(ValidationError) as exc:
            log(own_account, account_manager, occurred_on=TODAY + dt.timedelta(days=1))
        assert refusal(exc) == {"occurred_on": ["The date cannot be in the future."]}
        assert not AccountEvent.objects.exists()

    def test_a_date_before_the_first_order_is_refused(self, own_account, account_manager):
        OrderFactory(account=own_account, ordered_on=dt.date(2025, 6, 2))
        OrderFactory(account=own_account, ordered_on=dt.date(2026, 1, 5))
        with pytest.raises(ValidationError) as exc:
            log(own_account, account_manager, occurred_on=dt.date(2025, 6, 1))
        assert refusal(exc)["occurred_on"] == [
            "The date cannot be before the account's first order, on 02/06/2025."
        ]
        assert log(own_account, account_manager, occurred_on=dt.date(2025, 6, 2)).pk

    def test_a_date_outside_the_range_is_refused(self, own_account, account_manager):
        with pytest.raises(ValidationError) as exc:
            log(own_account, account_manager, occurred_on=dt.date(1979, 12, 31))
        assert "outside the accepted dates" in refusal(exc)["occurred_on"][0]

    def test_another_accounts_orders_do_not_bound_the_date(
        self, own_account, foreign_account, account_manager
    ):
        OrderFactory(account=foreign_account, ordered_on=dt.date(2026, 1, 5))
        assert log(own_account, account_manager, occurred_on=dt.date(2020, 1, 1)).pk

    def test_the_history_records_who_logged_it(self, own_account, account_manager):
        event = log(own_account, account_manager)
        assert [(h.history_type, h.history_user) for h in event.history.all()] == [
            ("+", account_manager)
        ]


def written_at(event: AccountEvent, at: dt.datetime) -> AccountEvent:
    AccountEvent.objects.filter(pk=event.pk).update(created_at=at)
    event.refresh_from_db()
    return event


WRITTEN = dt.datetime(2026, 11, 20, 9, 0, tzinfo=Z)
LAST_MOMENT = WRITTEN + dt.timedelta(hours=24) - dt.timedelta(microseconds=1)
CLOSED = WRITTEN + dt.timedelta(hours=24)


class TestEdit:
    def edit(self, event, by, now, **fields):
        entry = {"kind": EventKind.MEETING, "occurred_on": TODAY, "text": "Met them"} | fields
        return account_event_edit(event=event, by=by, now=now, today=TODAY, **entry)

    def test_the_author_corrects_it_up_to_the_last_moment_of_the_24_hours(
        self, own_account, account_manager
    ):
        event = written_at(log(own_account, account_manager), WRITTEN)
        self.edit(event, account_manager, LAST_MOMENT)
        event.refresh_from_db()
        assert (event.kind, event.text) == ("meeting", "Met them")

    def test_at_24_hours_it_is_closed(self, own_account, account_manager):
        event = written_at(log(own_account, account_manager), WRITTEN)
        with pytest.raises(EventNotChangeable):
            self.edit(event, account_manager, CLOSED)
        event.refresh_from_db()
        assert event.text == "Called the buyer"

    def test_nobody_else_edits_it_not_even_an_admin(
        self, own_account, account_manager, sales_manager, admin_user
    ):
        event = written_at(log(own_account, account_manager), WRITTEN)
        for other in (sales_manager, admin_user):
            with pytest.raises(EventNotChangeable):
                self.edit(event, other, WRITTEN)

    def test_an_entry_without_author_is_not_edited(self, own_account, account_manager):
        event = written_at(log(own_account, account_manager), WRITTEN)
        AccountEvent.objects.filter(pk=event.pk).update(author=None)
        event.refresh_from_db()
        with pytest.raises(EventNotChangeable):
            self.edit(event, account_manager, WRITTEN)

    def test_the_rules_of_a_new_entry_hold(self, own_account, account_manager):
        event = written_at(log(own_account, account_manager), WRITTEN)
        with pytest.raises(ValidationError) as exc:
            self.edit(event, account_manager, WRITTEN, kind=EventKind.SATISFACTION, text="")
        assert set(refusal(exc)) == {"score"}

    def test_changing_the_kind_drops_what_the_old_kind_had(self, own_account, account_manager):
        event = log(own_account, account_manager, kind=EventKind.SATISFACTION, score=3, text="")
        event = written_at(event, WRITTEN)
        self.edit(event, account_manager, WRITTEN, kind=EventKind.NOTE, text="Not a survey")
        event.refresh_from_db()
        assert (event.kind, event.score) == ("note", None)

    def test_the_history_keeps_the_text_before_the_edit(self, own_account, account_manager):
        event = written_at(log(own_account, account_manager), WRITTEN)
        self.edit(event, account_manager, WRITTEN, text="Corrected")
        texts = [(h.history_type, h.text) for h in event.history.order_by("history_id")]
        assert texts == [("+", "Called the buyer"), ("~", "Corrected")]


class TestDelete:
    def test_the_author_deletes_it_within_24_hours_and_the_deletion_is_audited(
        self, own_account, account_manager
    ):
        event = written_at(log(own_account, account_manager), WRITTEN)
        pk = event.pk
        account_event_delete(event=event, by=account_manager, now=LAST_MOMENT)
        assert not AccountEvent.objects.filter(pk=pk).exists()
        deleted = AccountEvent.history.get(id=pk, history_type="-")
        assert deleted.history_user == account_manager
        assert (deleted.account_id, deleted.kind, deleted.text) == (
            own_account.pk,
            "call",
            "Called the buyer",
        )

    def test_after_24_hours_it_stays(self, own_account, account_manager):
        event = written_at(log(own_account, account_manager), WRITTEN)
        with pytest.raises(EventNotChangeable):
            account_event_delete(event=event, by=account_manager, now=CLOSED)
        assert AccountEvent.objects.filter(pk=event.pk).exists()
        assert not AccountEvent.history.filter(history_type="-").exists()

    def test_someone_else_may_not_delete_it(self, own_account, account_manager, sales_manager):
        event = written_at(log(own_account, account_manager), WRITTEN)
        with pytest.raises(EventNotChangeable):
            account_event_delete(event=event, by=sales_manager, now=WRITTEN)
        assert AccountEvent.objects.filter(pk=event.pk).exists()

    def test_by_default_the_window_runs_from_the_real_clock(self, own_account, account_manager):
        event = log(own_account, account_manager)
        assert timezone.now() - event.created_at < dt.timedelta(minutes=1)
        account_event_delete(event=event, by=account_manager)
        assert not AccountEvent.objects.exists()
