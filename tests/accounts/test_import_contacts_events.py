"""import_contacts and import_events: the two new formats, upsert on external_ref, their
rules across columns and the one current primary contact per customer."""

import datetime as dt

import pytest
from django.utils import translation

from accounts.models import AccountEvent, Contact
from tests.accounts.import_support import run, write_csv
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db

CONTACTS = "external_ref,customer_external_id,name,title,email,phone,is_primary,started_on,ended_on"
EVENTS = "external_ref,customer_external_id,kind,occurred_on,score,text"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def customers(db):
    return AccountFactory(external_id="C1"), AccountFactory(external_id="C2")


def test_contacts_are_created_then_updated_on_their_ref(tmp_path, customers):
    first = [
        CONTACTS,
        "K1,C1,Dana Levi,Buyer,dana@example.com,03-555,yes,2024-01-01,",
        "K2,C2,Avi Cohen,,,,,,",
    ]
    outcome = run("import_contacts", write_csv(tmp_path, first, name="a.csv"))
    assert outcome.error is None, outcome.stderr
    assert "2 created" in outcome.stdout
    dana = Contact.objects.get(external_ref="K1")
    assert (dana.account, dana.email, dana.is_primary) == (customers[0], "dana@example.com", True)
    assert dana.started_on == dt.date(2024, 1, 1) and dana.ended_on is None

    again = run("import_contacts", write_csv(tmp_path, [*first[:2], "K2,C2,Avi Cohen,CEO,,,,,"]))
    assert "0 created, 1 updated, 1 unchanged" in again.stdout
    assert Contact.objects.get(external_ref="K2").title == "CEO"


def test_contact_rows_are_checked(tmp_path, customers):
    lines = [
        CONTACTS,
        "K1,C1,Dana,,not-an-address,,,,",
        "K2,C1,Avi,,,,,2025-01-01,2024-01-01",
        "K3,C9,Rina,,,,,,",
    ]
    outcome = run("import_contacts", write_csv(tmp_path, lines))
    assert outcome.error_lines[:3] == [
        'line 2, column 5 (email): "not-an-address" is not an e-mail address',
        "line 3, column 9 (ended_on): the end date is before the start date",
        'line 4, column 2 (customer_external_id): there is no customer with ERP id "C9"',
    ]
    assert not Contact.objects.exists()


def test_a_second_current_primary_contact_is_a_row_error(tmp_path, customers):
    ContactFactory(account=customers[0], name="Old", is_primary=True)
    lines = [
        CONTACTS,
        "K1,C1,New,,,,yes,2026-01-01,",
        "K2,C2,A,,,,yes,,",
        "K3,C2,B,,,,yes,,",
    ]
    outcome = run("import_contacts", write_csv(tmp_path, lines))
    message = (
        "column 7 (is_primary): the customer already has a current primary contact (in the "
        "portal or earlier in the file); end that one (ended_on) or make this one not primary"
    )
    assert outcome.error_lines[:2] == [f"line 2, {message}", f"line 4, {message}"]


def test_a_file_may_end_the_old_primary_and_bring_the_new_one(tmp_path, customers):
    ContactFactory(account=customers[0], name="Old", is_primary=True, external_ref="K0")
    lines = [CONTACTS, "K1,C1,New,,,,yes,2026-01-01,", "K0,C1,Old,,,,yes,2020-01-01,2025-12-31"]

    outcome = run("import_contacts", write_csv(tmp_path, lines))

    assert outcome.error is None, outcome.stderr
    current = Contact.objects.filter(account=customers[0], is_primary=True, ended_on=None)
    assert list(current.values_list("external_ref", flat=True)) == ["K1"]


def test_events_are_imported_with_their_rules(tmp_path, customers):
    lines = [
        EVENTS,
        "E1,C1,Complaint,15/03/2026,,Late delivery",
        "E2,C1,satisfaction,2026-03-16,7,",
        "E3,C1,satisfaction,2026-03-16,,",
        "E4,C1,note,2026-03-16,5,",
        "E5,C1,party,2026-03-16,,",
        "E6,C1,satisfaction,2026-03-16,11,",
    ]
    outcome = run("import_events", write_csv(tmp_path, lines), "--skip-invalid")
    assert outcome.error_lines[:5] == [
        'line 2, column 4 (occurred_on): "15/03/2026" is not a date in YYYY-MM-DD form',
        "line 4, column 5 (score): a satisfaction event needs a score from 0 to 10",
        "line 5, column 5 (score): only satisfaction events carry a score; leave it blank",
        'line 6, column 3 (kind): "party" is not one of: competitor, complaint, satisfaction, '
        "org_change, note, meeting, call",
        'line 7, column 5 (score): "11" is not a whole number from 0 to 10',
    ]
    event = AccountEvent.objects.get()
    assert (event.external_ref, event.kind, event.score, event.author) == (
        "E2",
        "satisfaction",
        7,
        None,
    )


def test_an_event_reimport_changes_nothing(tmp_path, customers):
    lines = [EVENTS, "E1,C1,complaint,2026-03-15,,Late"]
    run("import_events", write_csv(tmp_path, lines))
    again = run("import_events", write_csv(tmp_path, lines))
    assert "0 created, 0 updated, 1 unchanged" in again.stdout
