"""The contacts card: add, edit, and record that a contact left, in place with htmx or as plain
forms; replacing the primary contact logs the organisational change, which htmx shows at once
in the log card (swapped out of band)."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import AccountEvent, Contact, EventKind
from tests.factories import ContactFactory
from tests.workspace.conftest import HX

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client, account_manager):
    client.force_login(account_manager)
    return client


def contacts_url(account) -> str:
    return reverse("workspace:contacts", args=[account.pk])


def org_changes() -> list[str]:
    return list(
        AccountEvent.objects.filter(kind=EventKind.ORG_CHANGE).values_list("text", flat=True)
    )


class TestAdd:
    def test_htmx_gets_the_card_with_the_new_contact(self, owner, own_account):
        response = owner.post(contacts_url(own_account), {"name": "Noa", "title": "CFO"}, **HX)
        assert response.status_code == 200
        assert response.text.lstrip().startswith("<section") and "<html" not in response.text
        assert "Noa" in response.text and "Contact added." in response.text
        assert 'id="account-log"' not in response.text  # nothing to refresh there
        assert Contact.objects.get().title == "CFO"

    def test_without_javascript_it_redirects_to_the_card(self, owner, own_account):
        response = owner.post(contacts_url(own_account), {"name": "Noa"})
        assert response["Location"].endswith("#account-contacts")

    def test_a_bad_email_or_no_name_is_a_form_error_and_nothing_is_added(self, owner, own_account):
        response = owner.post(contacts_url(own_account), {"email": "not-an-email"}, **HX)
        assert sorted(response.context["card"].add_form.errors) == ["email", "name"]
        assert '<details class="mt-2" open>' in response.text  # the form stays open
        assert not Contact.objects.exists()

    def test_a_future_start_is_a_form_error(self, owner, own_account, today):
        later = (today + dt.timedelta(days=1)).isoformat()
        response = owner.post(contacts_url(own_account), {"name": "Noa", "started_on": later}, **HX)
        assert response.context["card"].add_form.errors == {
            "started_on": ["The date cannot be in the future."]
        }

    def test_a_new_primary_replaces_the_old_one_and_the_log_shows_the_change_at_once(
        self, owner, own_account
    ):
        ContactFactory(account=own_account, name="Avi", is_primary=True)
        response = owner.post(contacts_url(own_account), {"name": "Noa", "is_primary": "on"}, **HX)
        assert org_changes() == ["Primary contact changed from Avi to Noa."]
        assert 'id="account-log"' in response.text and 'hx-swap-oob="true"' in response.text
        assert "Primary contact changed from Avi to Noa." in response.text
        assert list(Contact.objects.filter(is_primary=True).values_list("name", flat=True)) == [
            "Noa"
        ]


class TestEdit:
    def test_edit_swaps_the_contact_for_its_form(self, owner, contact):
        response = owner.get(reverse("workspace:contact_edit", args=[contact.pk]), **HX)
        assert 'data-testid="contact-edit-form"' in response.text
        assert 'value="Dana"' in response.text

    def test_saving_corrects_the_details(self, owner, contact):
        url = reverse("workspace:contact_edit", args=[contact.pk])
        response = owner.post(url, {"name": "Dana Levi", "phone": "03-555"}, **HX)
        assert "Contact saved." in response.text
        contact.refresh_from_db()
        assert (contact.name, contact.phone) == ("Dana Levi", "03-555")
        assert org_changes() == []

    def test_making_a_contact_primary_logs_the_change(self, owner, own_account, contact):
        ContactFactory(account=own_account, name="Avi", is_primary=True)
        url = reverse("workspace:contact_edit", args=[contact.pk])
        response = owner.post(url, {"name": "Dana", "is_primary": "on"}, **HX)
        assert org_changes() == ["Primary contact changed from Avi to Dana."]
        assert 'hx-swap-oob="true"' in response.text


class TestEnd:
    def test_a_contact_who_is_not_primary_is_asked_only_the_day(self, owner, contact):
        response = owner.get(reverse("workspace:contact_end", args=[contact.pk]), **HX)
        assert list(response.context["card"].edit_form.fields) == ["ended_on"]

    def test_the_primary_names_a_successor_among_the_current_contacts(
        self, owner, own_account, contact, foreign_account
    ):
        avi = ContactFactory(account=own_account, name="Avi", is_primary=True)
        ContactFactory(account=foreign_account, name="Elsewhere")
        ContactFactory(account=own_account, name="Gone", ended_on=dt.date(2025, 1, 1))
        response = owner.get(reverse("workspace:contact_end", args=[avi.pk]), **HX)
        choices = response.context["card"].edit_form.fields["successor"].choices
        assert [label for _, label in choices][1:] == ["Dana"]

    def test_ending_the_primary_with_a_successor_logs_the_change(
        self, owner, own_account, contact, today
    ):
        avi = ContactFactory(account=own_account, name="Avi", is_primary=True)
        url = reverse("workspace:contact_end", args=[avi.pk])
        data = {"ended_on": today.isoformat(), "successor": str(contact.pk)}
        response = owner.post(url, data, **HX)
        assert "Contact ended." in response.text
        avi.refresh_from_db()
        contact.refresh_from_db()
        assert (avi.ended_on, contact.is_primary) == (today, True)
        assert org_changes() == ["Primary contact changed from Avi to Dana."]
        assert 'hx-swap-oob="true"' in response.text
        assert "Past contacts" in response.text

    def test_a_successor_from_elsewhere_is_refused(
        self, owner, own_account, foreign_account, today
    ):
        avi = ContactFactory(account=own_account, name="Avi", is_primary=True)
        ContactFactory(account=own_account, name="Dana")
        intruder = ContactFactory(account=foreign_account, name="Eli")
        url = reverse("workspace:contact_end", args=[avi.pk])
        data = {"ended_on": today.isoformat(), "successor": str(intruder.pk)}
        response = owner.post(url, data, **HX)
        assert list(response.context["card"].edit_form.errors) == ["successor"]
        avi.refresh_from_db()
        assert avi.ended_on is None

    def test_an_end_before_the_start_is_a_form_error(self, owner, own_account, today):
        dana = ContactFactory(account=own_account, started_on=today)
        url = reverse("workspace:contact_end", args=[dana.pk])
        earlier = (today - dt.timedelta(days=1)).isoformat()
        response = owner.post(url, {"ended_on": earlier}, **HX)
        assert response.context["card"].edit_form.errors == {
            "ended_on": ["The end date cannot be before the start date."]
        }
