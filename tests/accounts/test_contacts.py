"""Keeping contacts (accounts.contacts): add, edit, end; replacing the primary contact logs the
organisational change by itself, and a refusal writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.contact_rules import contact_dates_problems
from accounts.contacts import ContactDetails, contact_add, contact_edit, contact_end
from accounts.models import AccountEvent, Contact, EventKind
from tests.factories import ContactFactory, OrderFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def org_changes(account) -> list[tuple[dt.date, str]]:
    return list(
        AccountEvent.objects.filter(account=account, kind=EventKind.ORG_CHANGE)
        .order_by("pk")
        .values_list("occurred_on", "text")
    )


def add(account, by, name, *, primary=False, started_on=None) -> Contact:
    details = ContactDetails(name=name, title="Buyer", started_on=started_on)
    return contact_add(account=account, by=by, details=details, is_primary=primary, today=TODAY)


class TestDates:
    def test_dates_in_the_future_or_out_of_order_are_refused(self):
        later = TODAY + dt.timedelta(days=1)
        assert contact_dates_problems(started_on=later, ended_on=None, today=TODAY) == {
            "started_on": "The date cannot be in the future."
        }
        assert contact_dates_problems(
            started_on=TODAY, ended_on=TODAY - dt.timedelta(days=1), today=TODAY
        ) == {"ended_on": "The end date cannot be before the start date."}
        assert contact_dates_problems(started_on=TODAY, ended_on=TODAY, today=TODAY) == {}


class TestAdd:
    def test_a_contact_is_added(self, own_account, account_manager):
        contact = add(own_account, account_manager, " Dana ")
        assert (contact.name, contact.title, contact.is_primary) == ("Dana", "Buyer", False)

    def test_the_first_primary_contact_is_no_change(self, own_account, account_manager):
        add(own_account, account_manager, "Dana", primary=True)
        assert org_changes(own_account) == []

    def test_a_new_primary_replaces_the_current_one_and_logs_the_change(
        self, own_account, account_manager
    ):
        old = ContactFactory(account=own_account, name="Avi", is_primary=True)
        add(own_account, account_manager, "Dana", primary=True, started_on=dt.date(2026, 11, 2))
        old.refresh_from_db()
        assert (old.is_primary, old.ended_on) == (False, None)  # still a contact
        assert org_changes(own_account) == [
            (dt.date(2026, 11, 2), "Primary contact changed from Avi to Dana.")
        ]
        event = AccountEvent.objects.get(kind=EventKind.ORG_CHANGE)
        assert event.author == account_manager

    def test_a_new_primary_after_the_last_one_left_is_a_change_too(
        self, own_account, account_manager
    ):
        ContactFactory(
            account=own_account, name="Avi", is_primary=True, ended_on=dt.date(2026, 10, 1)
        )
        add(own_account, account_manager, "Dana", primary=True)
        assert org_changes(own_account) == [(TODAY, "Primary contact changed from Avi to Dana.")]

    def test_a_change_dated_before_the_first_order_is_refused_and_nothing_is_written(
        self, own_account, account_manager
    ):
        OrderFactory(account=own_account, ordered_on=dt.date(2026, 1, 5))
        ContactFactory(account=own_account, name="Avi", is_primary=True)
        with pytest.raises(ValidationError) as exc:
            add(own_account, account_manager, "Dana", primary=True, started_on=dt.date(2025, 1, 1))
        assert list(exc.value.message_dict) == ["started_on"]
        assert list(Contact.objects.values_list("name", "is_primary")) == [("Avi", True)]
        assert org_changes(own_account) == []

    def test_a_future_start_is_refused(self, own_account, account_manager):
        with pytest.raises(ValidationError) as exc:
            add(own_account, account_manager, "Dana", started_on=TODAY + dt.timedelta(days=1))
        assert list(exc.value.message_dict) == ["started_on"]
        assert not Contact.objects.exists()


class TestEdit:
    def edit(self, contact, by, *, primary, name=None):
        details = ContactDetails(name=name or contact.name, phone="03-555")
        return contact_edit(
            contact=contact, by=by, details=details, is_primary=primary, today=TODAY
        )

    def test_details_are_corrected(self, own_account, account_manager):
        contact = ContactFactory(account=own_account, name="Dana")
        self.edit(contact, account_manager, primary=False, name="Dana Levi")
        contact.refresh_from_db()
        assert (contact.name, contact.phone) == ("Dana Levi", "03-555")
        assert org_changes(own_account) == []

    def test_making_another_contact_primary_logs_the_change_today(
        self, own_account, account_manager
    ):
        old = ContactFactory(account=own_account, name="Avi", is_primary=True)
        dana = ContactFactory(account=own_account, name="Dana")
        self.edit(dana, account_manager, primary=True)
        old.refresh_from_db()
        dana.refresh_from_db()
        assert (old.is_primary, dana.is_primary) == (False, True)
        assert org_changes(own_account) == [(TODAY, "Primary contact changed from Avi to Dana.")]

    def test_saving_the_primary_as_primary_again_logs_nothing(self, own_account, account_manager):
        dana = ContactFactory(account=own_account, name="Dana", is_primary=True)
        ContactFactory(account=own_account, name="Avi", is_primary=True, ended_on=TODAY)
        self.edit(dana, account_manager, primary=True)
        assert org_changes(own_account) == []

    def test_unticking_primary_leaves_no_primary_and_logs_nothing(
        self, own_account, account_manager
    ):
        dana = ContactFactory(account=own_account, name="Dana", is_primary=True)
        self.edit(dana, account_manager, primary=False)
        assert not Contact.objects.filter(is_primary=True).exists()
        assert org_changes(own_account) == []

    def test_a_contact_who_left_cannot_become_primary(self, own_account, account_manager):
        gone = ContactFactory(account=own_account, name="Avi", ended_on=dt.date(2026, 1, 1))
        with pytest.raises(ValidationError) as exc:
            self.edit(gone, account_manager, primary=True)
        assert list(exc.value.message_dict) == ["is_primary"]


class TestEnd:
    def test_a_contact_leaves(self, own_account, account_manager):
        dana = ContactFactory(account=own_account, name="Dana")
        contact_end(contact=dana, by=account_manager, ended_on=TODAY, today=TODAY)
        dana.refresh_from_db()
        assert dana.ended_on == TODAY

    def test_the_primary_leaves_and_names_a_successor_and_the_change_is_logged(
        self, own_account, account_manager
    ):
        avi = ContactFactory(account=own_account, name="Avi", is_primary=True)
        dana = ContactFactory(account=own_account, name="Dana")
        left = dt.date(2026, 11, 15)
        contact_end(contact=avi, by=account_manager, ended_on=left, successor=dana, today=TODAY)
        avi.refresh_from_db()
        dana.refresh_from_db()
        assert (avi.ended_on, avi.is_primary, dana.is_primary) == (left, True, True)
        assert org_changes(own_account) == [(left, "Primary contact changed from Avi to Dana.")]

    def test_the_primary_leaves_without_successor_and_nothing_is_logged(
        self, own_account, account_manager
    ):
        avi = ContactFactory(account=own_account, name="Avi", is_primary=True)
        contact_end(contact=avi, by=account_manager, ended_on=TODAY, today=TODAY)
        assert org_changes(own_account) == []

    def test_only_a_current_contact_of_the_account_succeeds(
        self, own_account, foreign_account, account_manager
    ):
        avi = ContactFactory(account=own_account, name="Avi", is_primary=True)
        elsewhere = ContactFactory(account=foreign_account, name="Eli")
        with pytest.raises(ValidationError) as exc:
            contact_end(contact=avi, by=account_manager, ended_on=TODAY, successor=elsewhere)
        assert list(exc.value.message_dict) == ["successor"]
        avi.refresh_from_db()
        assert avi.ended_on is None

    def test_a_contact_leaves_once(self, own_account, account_manager):
        gone = ContactFactory(account=own_account, ended_on=dt.date(2026, 1, 1))
        with pytest.raises(ValidationError) as exc:
            contact_end(contact=gone, by=account_manager, ended_on=TODAY, today=TODAY)
        assert list(exc.value.message_dict) == ["ended_on"]

    def test_an_end_before_the_start_is_refused(self, own_account, account_manager):
        dana = ContactFactory(account=own_account, started_on=dt.date(2026, 6, 1))
        with pytest.raises(ValidationError) as exc:
            contact_end(contact=dana, by=account_manager, ended_on=dt.date(2026, 5, 1), today=TODAY)
        assert exc.value.message_dict == {
            "ended_on": ["The end date cannot be before the start date."]
        }
