"""The log card on the account page: logging in place with htmx (fragments, never a page),
the same forms without JavaScript, the date rules as form errors, the fields that follow the
kind, and edit/delete on one's own entries for 24 hours."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import AccountEvent
from tests.factories import AccountEventFactory, OrderFactory
from tests.workspace.conftest import HX

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client, account_manager):
    client.force_login(account_manager)
    return client


def log_url(account) -> str:
    return reverse("workspace:log", args=[account.pk])


def page(client, account) -> str:
    return client.get(reverse("accounts:detail", args=[account.pk])).text


def entry(today: dt.date, **fields) -> dict:
    return {"kind": "meeting", "occurred_on": today.isoformat(), "text": "Met the buyer"} | fields


def is_fragment(response) -> bool:
    text = response.text.lstrip()
    return "<html" not in text and text.startswith("<section")


class TestLogging:
    def test_htmx_gets_the_card_with_the_new_entry_and_a_fresh_form(
        self, owner, own_account, today
    ):
        response = owner.post(log_url(own_account), entry(today), **HX)
        assert response.status_code == 200 and is_fragment(response)
        assert [t.name for t in response.templates][0] == "workspace/_log.html"
        assert "Met the buyer" in response.text and "Logged." in response.text
        assert response["Vary"].count("HX-Request") == 1
        form = response.context["card"].form
        assert not form.is_bound

    def test_without_javascript_it_redirects_to_the_account_page_with_a_message(
        self, owner, own_account, today
    ):
        response = owner.post(log_url(own_account), entry(today), follow=True)
        assert response.redirect_chain == [
            (reverse("accounts:detail", args=[own_account.pk]) + "#account-log", 302)
        ]
        assert "Logged." in response.text and "Met the buyer" in response.text

    def test_the_entry_is_stored_with_its_author(self, owner, own_account, account_manager, today):
        owner.post(log_url(own_account), entry(today, kind="call", text="Rang them"), **HX)
        stored = AccountEvent.objects.get()
        assert (stored.kind, stored.text, stored.author) == ("call", "Rang them", account_manager)

    def test_competitor_activity_takes_the_competitor_and_what_they_offered(
        self, owner, own_account, today
    ):
        data = entry(today, kind="competitor", competitor="Rival Ltd", offer="8% off", text="")
        owner.post(log_url(own_account), data, **HX)
        stored = AccountEvent.objects.get()
        assert (stored.kind, stored.competitor, stored.offer) == (
            "competitor",
            "Rival Ltd",
            "8% off",
        )
        assert "Rival Ltd" in page(owner, own_account)

    def test_a_satisfaction_score(self, owner, own_account, today):
        owner.post(
            log_url(own_account), entry(today, kind="satisfaction", score="3", text=""), **HX
        )
        assert AccountEvent.objects.get().score == 3
        assert "Satisfaction score: 3/10" in page(owner, own_account)


class TestRefusals:
    def refused(self, owner, account, data, *, htmx=True):
        response = owner.post(log_url(account), data, **(HX if htmx else {}))
        assert response.status_code == 200
        assert not AccountEvent.objects.exists()
        return response, response.context["card"].form.errors

    def test_a_future_date_is_a_form_error_under_the_date(self, owner, own_account, today):
        tomorrow = today + dt.timedelta(days=1)
        _, errors = self.refused(owner, own_account, entry(today, occurred_on=tomorrow.isoformat()))
        assert errors == {"occurred_on": ["The date cannot be in the future."]}

    def test_a_date_before_the_first_order_is_a_form_error(self, owner, own_account, today):
        first = today - dt.timedelta(days=30)
        OrderFactory(account=own_account, ordered_on=first)
        early = (first - dt.timedelta(days=1)).isoformat()
        response, errors = self.refused(owner, own_account, entry(today, occurred_on=early))
        with translation.override("en"):
            day = first.strftime("%d/%m/%Y")
        assert errors == {
            "occurred_on": [f"The date cannot be before the account's first order, on {day}."]
        }
        assert f'min="{first.isoformat()}"' in response.text  # the picker offers no earlier day

    @pytest.mark.parametrize("day", ["1979-12-31", "2100-01-01"])
    def test_a_date_outside_the_accepted_range_is_a_form_error(
        self, owner, own_account, today, day
    ):
        _, errors = self.refused(owner, own_account, entry(today, occurred_on=day))
        assert "outside the accepted dates" in errors["occurred_on"][0]

    def test_the_date_picker_stops_at_today(self, owner, own_account, today):
        assert f'max="{today.isoformat()}"' in page(owner, own_account)
        assert f'value="{today.isoformat()}"' in page(owner, own_account)  # default: today

    def test_a_missing_text_or_score_or_competitor_is_named(self, owner, own_account, today):
        _, errors = self.refused(owner, own_account, entry(today, text=""))
        assert list(errors) == ["text"]
        _, errors = self.refused(owner, own_account, entry(today, kind="satisfaction", text=""))
        assert list(errors) == ["score"]
        _, errors = self.refused(owner, own_account, entry(today, kind="competitor", text="x"))
        assert sorted(errors) == ["competitor", "offer"]

    def test_a_score_out_of_range_is_a_form_error(self, owner, own_account, today):
        _, errors = self.refused(owner, own_account, entry(today, kind="satisfaction", score="11"))
        assert list(errors) == ["score"]

    def test_without_javascript_a_refusal_is_a_page_with_the_form(self, owner, own_account, today):
        response, errors = self.refused(owner, own_account, entry(today, text=""), htmx=False)
        assert "<html" in response.text and 'id="log-form"' in response.text
        assert list(errors) == ["text"]

    def test_a_refused_htmx_post_is_a_fragment(self, owner, own_account, today):
        response, _ = self.refused(owner, own_account, entry(today, text=""))
        assert is_fragment(response)


class TestKindSwitch:
    def test_the_form_shows_the_fields_of_the_chosen_kind_keeping_what_was_typed(
        self, owner, own_account
    ):
        query = "?kind=competitor&text=Heard+at+the+fair"
        response = owner.get(log_url(own_account) + query, **HX)
        assert is_fragment(response)
        form = response.context["card"].form
        assert list(form.fields) == ["kind", "occurred_on", "competitor", "offer", "text"]
        assert "Heard at the fair" in response.text

    @pytest.mark.parametrize(
        ("kind", "fields"),
        [
            ("meeting", ["kind", "occurred_on", "text"]),
            ("satisfaction", ["kind", "occurred_on", "score", "text"]),
            ("nonsense", ["kind", "occurred_on", "text"]),
        ],
    )
    def test_each_kind_has_its_fields(self, owner, own_account, kind, fields):
        response = owner.get(log_url(own_account) + f"?kind={kind}", **HX)
        assert list(response.context["card"].form.fields) == fields

    def test_the_selector_asks_for_the_form_again_without_the_csrf_token(self, owner, own_account):
        html = page(owner, own_account)
        assert f'hx-get="{log_url(own_account)}" hx-trigger="change"' in html
        assert 'hx-params="not csrfmiddlewaretoken"' in html

    def test_without_javascript_a_plain_get_is_a_page(self, owner, own_account):
        response = owner.get(log_url(own_account))
        assert response.status_code == 200 and "<html" in response.text


def written_hours_ago(event, hours: float):
    at = timezone.now() - dt.timedelta(hours=hours)
    AccountEvent.objects.filter(pk=event.pk).update(created_at=at)
    return event


class TestOwnEntries:
    def test_edit_and_delete_show_on_own_entries_younger_than_24_hours(
        self, owner, own_account, account_manager, sales_manager
    ):
        fresh = AccountEventFactory(account=own_account, author=account_manager)
        old = written_hours_ago(
            AccountEventFactory(account=own_account, author=account_manager), 25
        )
        others = AccountEventFactory(account=own_account, author=sales_manager)
        html = page(owner, own_account)
        assert reverse("workspace:event_edit", args=[fresh.pk]) in html
        assert reverse("workspace:event_delete", args=[fresh.pk]) in html
        for event in (old, others):
            assert reverse("workspace:event_edit", args=[event.pk]) not in html
            assert reverse("workspace:event_delete", args=[event.pk]) not in html

    def test_edit_swaps_the_entry_for_its_form_and_saving_swaps_it_back(
        self, owner, own_account, owners_entry, today
    ):
        url = reverse("workspace:event_edit", args=[owners_entry.pk])
        response = owner.get(url, **HX)
        assert is_fragment(response) and response.context["card"].editing == owners_entry.pk
        assert 'data-testid="log-entry-editing"' in response.text
        response = owner.post(url, entry(today, text="Corrected"), **HX)
        assert is_fragment(response) and "Saved." in response.text
        assert response.context["card"].editing is None
        owners_entry.refresh_from_db()
        assert owners_entry.text == "Corrected"

    def test_an_edit_is_held_to_the_same_rules(self, owner, own_account, owners_entry, today):
        url = reverse("workspace:event_edit", args=[owners_entry.pk])
        tomorrow = (today + dt.timedelta(days=1)).isoformat()
        response = owner.post(url, entry(today, occurred_on=tomorrow), **HX)
        assert response.context["card"].edit_form.errors == {
            "occurred_on": ["The date cannot be in the future."]
        }
        owners_entry.refresh_from_db()
        assert owners_entry.text == "Owner note"

    def test_delete_removes_it_in_place_and_the_history_keeps_it(
        self, owner, own_account, owners_entry, account_manager
    ):
        pk = owners_entry.pk
        response = owner.post(reverse("workspace:event_delete", args=[pk]), **HX)
        assert is_fragment(response) and "Deleted." in response.text
        assert "Owner note" not in response.text
        audit = AccountEvent.history.get(id=pk, history_type="-")
        assert (audit.history_user, audit.text) == (account_manager, "Owner note")

    def test_delete_asks_first(self, owner, own_account, owners_entry):
        assert "hx-confirm=" in page(owner, own_account)

    @pytest.mark.parametrize("hours", [24, 30])
    def test_after_24_hours_edit_and_delete_are_refused(
        self, owner, own_account, owners_entry, today, hours
    ):
        written_hours_ago(owners_entry, hours)
        edit = reverse("workspace:event_edit", args=[owners_entry.pk])
        assert owner.get(edit).status_code == 403
        assert owner.post(edit, entry(today)).status_code == 403
        delete = reverse("workspace:event_delete", args=[owners_entry.pk])
        assert owner.post(delete).status_code == 403
        assert AccountEvent.objects.filter(pk=owners_entry.pk, text="Owner note").exists()

    def test_just_under_24_hours_edit_is_still_open(self, owner, own_account, owners_entry):
        written_hours_ago(owners_entry, 23.99)
        assert owner.get(reverse("workspace:event_edit", args=[owners_entry.pk])).status_code == 200


class TestThePage:
    def test_it_says_new_entries_count_from_the_next_nightly_run(self, owner, own_account):
        assert "New entries count from the next nightly run." in page(owner, own_account)

    def test_a_reader_sees_the_entries_without_form_or_buttons(
        self, client, people, own_account, owners_entry
    ):
        client.force_login(people["member_sales_manager"])
        html = page(client, own_account)
        assert "Owner note" in html
        assert 'id="log-form"' not in html
        assert reverse("workspace:event_edit", args=[owners_entry.pk]) not in html
        assert 'action="/accounts/' + str(own_account.pk) + '/contacts/"' not in html

    def test_it_is_in_hebrew_for_a_hebrew_user(self, client, account_manager, own_account):
        account_manager.language = "he"
        account_manager.save()
        client.force_login(account_manager)
        html = page(client, own_account)
        with translation.override("he"):
            note = translation.gettext("New entries count from the next nightly run.")
        assert note != "New entries count from the next nightly run." and note in html
