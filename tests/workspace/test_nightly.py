"""From the page to the flags: competitor activity, a complaint and a replaced primary contact,
entered through the account page's forms, raise the competitor, complaints and organisational
change flags in the next nightly run, and not in the run before (they are dated today)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from segmentation.models import NightlyRun, RiskSnapshot
from tests.factories import ContactFactory, OrderFactory
from tests.workspace.conftest import HX

pytestmark = pytest.mark.django_db
PAGE_FLAGS = {"competitor", "complaints", "org_change"}


def flags_as_of(account, day: dt.date) -> dict[str, dict]:
    call_command("run_nightly", "--as-of", day.isoformat())
    run = NightlyRun.objects.latest_complete()
    assert run is not None and run.as_of == day
    snapshot = RiskSnapshot.objects.get(run=run, account=account)
    return {flag["code"]: flag["evidence"] for flag in snapshot.flags}


def test_entries_logged_on_the_page_raise_their_flags_from_the_next_nightly_run(
    client, account_manager, own_account, today
):
    for week in range(1, 11):
        OrderFactory(account=own_account, ordered_on=today - dt.timedelta(weeks=week))
    ContactFactory(account=own_account, name="Avi", is_primary=True)
    client.force_login(account_manager)
    log = reverse("workspace:log", args=[own_account.pk])
    day = today.isoformat()
    competitor = {"kind": "competitor", "occurred_on": day, "competitor": "Rival", "offer": "9%"}
    complaint = {"kind": "complaint", "occurred_on": day, "text": "Late again"}
    for entry in (competitor, complaint):
        assert client.post(log, entry, **HX).status_code == 200
    new_primary = {"name": "Noa", "is_primary": "on"}
    contacts = reverse("workspace:contacts", args=[own_account.pk])
    assert client.post(contacts, new_primary, **HX).status_code == 200

    before = flags_as_of(own_account, today - dt.timedelta(days=1))
    assert not PAGE_FLAGS & set(before)

    after = flags_as_of(own_account, today)
    assert set(after) >= PAGE_FLAGS
    assert after["competitor"] == {"last_on": day, "count": 1}
    assert after["complaints"]["count"] == 1 and after["complaints"]["last_on"] == day
    assert after["org_change"] == {"on": day, "source": "event"}
