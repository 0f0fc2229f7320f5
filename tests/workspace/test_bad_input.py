"""Bad input to the workspace's forms and URLs is a form error or a 404, never a 500, and
writes nothing."""

import pytest
from django.urls import reverse

from accounts.models import AccountEvent, Contact
from tests.factories import ContactFactory
from tests.workspace.conftest import HX

pytestmark = pytest.mark.django_db
HUGE = str(2**63)


@pytest.fixture
def owner(client, account_manager):
    client.force_login(account_manager)
    return client


@pytest.mark.parametrize(
    "path",
    [f"/events/{HUGE}/edit/", f"/contacts/{HUGE}/edit/", f"/contacts/{HUGE}/end/"],
)
def test_an_id_beyond_any_column_is_a_404(owner, path):
    assert owner.get(path).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "meeting", "occurred_on": "2026-13-45", "text": "x"},
        {"kind": "meeting", "occurred_on": "today", "text": "x"},
        {"kind": "meeting", "occurred_on": "2026-01-01", "text": "nul\x00byte"},
        {"kind": "meeting", "occurred_on": "2026-01-01", "text": "x" * 4001},
        {"kind": "satisfaction", "occurred_on": "2026-01-01", "score": HUGE},
        {"kind": "satisfaction", "occurred_on": "2026-01-01", "score": "-1"},
        {"kind": "competitor", "occurred_on": "2026-01-01", "competitor": "c" * 201, "offer": "x"},
        {"kind": "x" * 500, "occurred_on": "2026-01-01", "text": "x"},
    ],
)
def test_a_bad_entry_is_a_form_error(owner, own_account, data):
    response = owner.post(reverse("workspace:log", args=[own_account.pk]), data, **HX)
    assert response.status_code == 200
    assert response.context["card"].form.errors
    assert not AccountEvent.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"name": "n" * 201},
        {"name": "x", "email": "e" * 250 + "@x.com"},
        {"name": "x", "phone": "1" * 51},
        {"name": "x", "started_on": "1979-12-31"},
        {"name": "nul\x00"},
    ],
)
def test_a_bad_contact_is_a_form_error(owner, own_account, data):
    response = owner.post(reverse("workspace:contacts", args=[own_account.pk]), data, **HX)
    assert response.status_code == 200
    assert response.context["card"].add_form.errors
    assert not Contact.objects.exists()


def test_a_successor_id_beyond_any_column_is_a_form_error(owner, own_account, contact, today):
    contact.is_primary = True
    contact.save()
    ContactFactory(account=own_account, name="Noa")  # someone to succeed: the field is asked
    url = reverse("workspace:contact_end", args=[contact.pk])
    response = owner.post(url, {"ended_on": today.isoformat(), "successor": HUGE}, **HX)
    assert response.status_code == 200
    assert list(response.context["card"].edit_form.errors) == ["successor"]
    contact.refresh_from_db()
    assert contact.ended_on is None
