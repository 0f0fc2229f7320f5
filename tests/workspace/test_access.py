"""Every workspace form and card for every role on the account: a writer writes, a reader of
the account gets the cards and a 403 on a write, whoever does not see it a 404 everywhere.
Refusals write nothing."""

import pytest
from django.urls import reverse

from accounts.models import AccountEvent, Contact
from tests.factories import AccountEventFactory
from tests.workspace.conftest import HX, READERS, ROLES, WRITERS, outcome_for

pytestmark = pytest.mark.django_db


def as_(client, people, role):
    client.force_login(people[role])
    return client


def forms(own_account, contact, today) -> dict[str, tuple[str, dict]]:
    """Each write of the workspace: (URL, a valid body)."""
    day = today.isoformat()
    return {
        "log": (
            reverse("workspace:log", args=[own_account.pk]),
            {"kind": "complaint", "occurred_on": day, "text": "Late delivery"},
        ),
        "contact_add": (
            reverse("workspace:contacts", args=[own_account.pk]),
            {"name": "Noa", "email": "noa@example.com"},
        ),
        "contact_edit": (
            reverse("workspace:contact_edit", args=[contact.pk]),
            {"name": "Dana Levi", "phone": "03-555"},
        ),
        "contact_end": (reverse("workspace:contact_end", args=[contact.pk]), {"ended_on": day}),
    }


def snapshot() -> tuple:
    """Everything the workspace writes, to show that a refusal wrote nothing."""
    return (
        list(AccountEvent.objects.values_list("pk", "kind", "text")),
        list(Contact.objects.values_list("pk", "name", "phone", "ended_on")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("form", ["log", "contact_add", "contact_edit", "contact_end"])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_each_write_answers_each_role(
    client, people, own_account, contact, today, form, role, htmx
):
    url, data = forms(own_account, contact, today)[form]
    before = snapshot()
    response = as_(client, people, role).post(url, data, **(HX if htmx else {}))
    assert response.status_code == outcome_for(role, written=200 if htmx else 302)
    assert (snapshot() != before) is (role in WRITERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("card", ["workspace:log", "workspace:contacts"])
def test_everyone_who_sees_the_account_reads_its_cards(client, people, own_account, card, role):
    response = as_(client, people, role).get(reverse(card, args=[own_account.pk]), **HX)
    expected = 404 if outcome_for(role, written=200) == 404 else 200
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_a_reader_gets_the_log_without_its_form(client, people, own_account, role):
    response = as_(client, people, role).get(reverse("workspace:log", args=[own_account.pk]), **HX)
    if response.status_code == 200:
        assert ('id="log-form"' in response.text) is (role in WRITERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ["workspace:contact_edit", "workspace:contact_end"])
def test_the_contact_forms_open_for_writers_only(client, people, contact, route, role):
    response = as_(client, people, role).get(reverse(route, args=[contact.pk]))
    assert response.status_code == outcome_for(role, written=200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["edit", "delete"])
def test_only_the_author_changes_an_entry(client, people, owners_entry, today, action, role):
    if action == "edit":
        url = reverse("workspace:event_edit", args=[owners_entry.pk])
        data = {"kind": "meeting", "occurred_on": today.isoformat(), "text": "Changed"}
    else:
        url, data = reverse("workspace:event_delete", args=[owners_entry.pk]), {}
    response = as_(client, people, role).post(url, data)
    expected = 302 if role == "owner" else (404 if outcome_for(role, written=0) == 404 else 403)
    assert response.status_code == expected
    unchanged = AccountEvent.objects.filter(pk=owners_entry.pk, text="Owner note").exists()
    assert unchanged is (role != "owner")


def test_a_team_member_changes_their_own_entry(client, people, own_account, today):
    entry = AccountEventFactory(account=own_account, author=people["team_member"])
    url = reverse("workspace:event_edit", args=[entry.pk])
    data = {"kind": "call", "occurred_on": today.isoformat(), "text": "Called back"}
    assert as_(client, people, "team_member").post(url, data).status_code == 302
    entry.refresh_from_db()
    assert (entry.kind, entry.text) == ("call", "Called back")


def test_an_author_who_no_longer_writes_to_the_account_cannot_change_their_entry(
    client, people, own_account, today
):
    """An entry by someone who now only reads the account (a sales manager whose team no
    longer holds the owner): their 24 hours do not make them a writer again."""
    reader = people[READERS[0]]
    entry = AccountEventFactory(account=own_account, author=reader)
    response = as_(client, people, READERS[0]).post(
        reverse("workspace:event_delete", args=[entry.pk])
    )
    assert response.status_code == 403
    assert AccountEvent.objects.filter(pk=entry.pk).exists()


def test_a_missing_entry_or_contact_is_a_404(client, people):
    admin = as_(client, people, "admin")
    for route in ("workspace:event_edit", "workspace:contact_edit", "workspace:contact_end"):
        assert admin.get(reverse(route, args=[999999])).status_code == 404
    assert admin.post(reverse("workspace:event_delete", args=[999999])).status_code == 404
