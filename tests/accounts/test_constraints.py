"""The database itself holds the data rules: every constraint refuses a bad row on its own.

Rows are written with .create()/.save(), which skip model validation, so the IntegrityError can
only come from PostgreSQL. Each test names the constraint it expects to fire.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import Account, AccountEvent, Contact, EventKind, Order
from tests.factories import (
    AccountEventFactory,
    AccountFactory,
    ContactFactory,
    OrderFactory,
    SalesManagerFactory,
    TeamFactory,
    UserFactory,
)
from users.models import Team, User

pytestmark = pytest.mark.django_db

JAN = dt.date(2026, 1, 1)


def refused(match: str):
    """Expect the database to refuse the statement, naming `match` (usually the constraint)."""
    return pytest.raises(IntegrityError, match=match)


@pytest.fixture
def account():
    return AccountFactory(external_id="C1")


# Accounts


def test_account_external_id_is_unique(account):
    with refused("external_id"), transaction.atomic():
        Account.objects.create(external_id="C1", name="Twin Ltd")


def test_account_external_id_is_not_empty():
    with refused("account_external_id_set"), transaction.atomic():
        Account.objects.create(external_id="", name="Nameless key Ltd")


def test_account_status_is_one_of_the_choices():
    with refused("account_status_valid"), transaction.atomic():
        Account.objects.create(external_id="C2", name="Odd Ltd", status="dormant")


def test_account_purchasing_potential_is_not_negative():
    with refused("account_potential_not_negative"), transaction.atomic():
        Account.objects.create(external_id="C3", name="Minus Ltd", purchasing_potential=-1)


def test_account_purchasing_potential_may_be_zero_or_unknown():
    Account.objects.create(external_id="C4", name="Zero Ltd", purchasing_potential=Decimal(0))
    Account.objects.create(external_id="C5", name="Unknown Ltd", purchasing_potential=None)
    assert Account.objects.filter(external_id__in=["C4", "C5"]).count() == 2


# Contacts


def test_an_account_has_one_current_primary_contact(account):
    ContactFactory(account=account, is_primary=True)
    with refused("contact_one_current_primary"), transaction.atomic():
        ContactFactory(account=account, is_primary=True)


def test_a_past_primary_contact_beside_the_current_one_is_fine(account):
    ContactFactory(account=account, is_primary=True, started_on=JAN, ended_on=dt.date(2026, 3, 1))
    ContactFactory(account=account, is_primary=True, started_on=dt.date(2026, 3, 2))
    ContactFactory(account=AccountFactory(), is_primary=True)  # another account's own primary
    assert account.contacts.filter(is_primary=True).count() == 2


def test_a_contact_cannot_end_before_it_starts(account):
    with refused("contact_ends_after_start"), transaction.atomic():
        ContactFactory(account=account, started_on=JAN, ended_on=JAN - dt.timedelta(days=1))


def test_a_contact_may_end_on_the_day_it_starts(account):
    ContactFactory(account=account, started_on=JAN, ended_on=JAN)
    assert account.contacts.count() == 1


# Orders


def test_order_external_ref_is_unique(account):
    OrderFactory(account=account, external_ref="O1")
    with refused("external_ref"), transaction.atomic():
        OrderFactory(account=account, external_ref="O1")


def test_order_external_ref_is_not_empty(account):
    with refused("order_external_ref_set"), transaction.atomic():
        OrderFactory(account=account, external_ref="")


def test_order_channel_is_one_of_the_choices(account):
    with refused("order_channel_valid"), transaction.atomic():
        OrderFactory(account=account, channel="fax")


def test_an_order_belongs_to_an_existing_account():
    # Foreign keys are deferred to commit on PostgreSQL; check_constraints() checks them now.
    with refused("account_id"), transaction.atomic():
        Order.objects.create(
            external_ref="O2", account_id=999_999, ordered_on=JAN, revenue=Decimal(1)
        )
        connection.check_constraints()


def test_a_return_may_carry_negative_amounts(account):
    OrderFactory(account=account, revenue=Decimal("-50.00"), gross_profit=Decimal("-12.50"))
    assert account.orders.get().revenue == Decimal("-50.00")


# Events


def test_event_kind_is_one_of_the_choices(account):
    with refused("event_kind_valid"), transaction.atomic():
        AccountEventFactory(account=account, kind="rumour")


@pytest.mark.parametrize("score", [0, 10])
def test_a_satisfaction_score_from_0_to_10_is_accepted(account, score):
    AccountEventFactory(account=account, kind=EventKind.SATISFACTION, score=score)
    assert AccountEvent.objects.get().score == score


@pytest.mark.parametrize(
    "score",
    [
        11,
        None,
    ],
)
def test_a_satisfaction_event_needs_a_score_from_0_to_10(account, score):
    with refused("event_score_only_for_satisfaction"), transaction.atomic():
        AccountEventFactory(account=account, kind=EventKind.SATISFACTION, score=score)


def test_a_negative_score_is_refused(account):
    # PositiveSmallIntegerField adds its own ">= 0" check beside the model's constraint.
    with refused("score"), transaction.atomic():
        AccountEventFactory(account=account, kind=EventKind.SATISFACTION, score=-1)


def test_only_satisfaction_events_carry_a_score(account):
    with refused("event_score_only_for_satisfaction"), transaction.atomic():
        AccountEventFactory(account=account, kind=EventKind.COMPLAINT, score=5)


@pytest.mark.parametrize("kind", [EventKind.MEETING, EventKind.CALL])
def test_meetings_and_calls_are_kinds_of_their_own(account, kind):
    AccountEventFactory(account=account, kind=kind)
    assert AccountEvent.objects.get().kind == kind


def test_competitor_activity_carries_the_competitor_and_their_offer(account):
    AccountEventFactory(
        account=account, kind=EventKind.COMPETITOR, competitor="Rival", offer="5% off"
    )
    assert AccountEvent.objects.values_list("competitor", "offer").get() == ("Rival", "5% off")


@pytest.mark.parametrize("fields", [{"competitor": "Rival"}, {"offer": "5% off"}])
def test_only_competitor_activity_names_a_competitor(account, fields):
    with refused("event_competitor_only_for_competitor"), transaction.atomic():
        AccountEventFactory(account=account, kind=EventKind.COMPLAINT, **fields)


def test_a_bulk_load_that_names_only_the_older_columns_still_writes_an_event(account):
    """COPY in the demo seeder and seed_churn_histories names no competitor or offer: the
    database default fills them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_accountevent (account_id, kind, occurred_on, text, created_at)"
            " VALUES (%s, 'competitor', %s, '', now())",
            [account.pk, JAN],
        )
    assert AccountEvent.objects.values_list("competitor", "offer").get() == ("", "")


# Users and teams


def test_user_role_is_one_of_the_choices():
    with refused("user_role_valid"), transaction.atomic():
        User.objects.create(username="x", role="intern")


def test_user_language_is_one_of_the_choices():
    with refused("user_language_valid"), transaction.atomic():
        User.objects.create(username="y", language="fr")


def test_usernames_are_unique():
    UserFactory(username="dana")
    with refused("username"), transaction.atomic():
        User.objects.create(username="dana")


def test_team_names_are_unique():
    TeamFactory(name="North")
    with refused("name"), transaction.atomic():
        Team.objects.create(name="North", manager=SalesManagerFactory())


# Organisational change: a primary contact replaced


def primary(account: Account, name: str, start: str | None, end: str | None = None) -> Contact:
    return ContactFactory(
        account=account,
        name=name,
        is_primary=True,
        started_on=start and dt.date.fromisoformat(start),
        ended_on=end and dt.date.fromisoformat(end),
    )


def test_primary_replacements_are_the_primaries_who_followed_an_earlier_primary():
    replaced = AccountFactory()
    primary(replaced, "Old", "2020-01-01", "2023-06-30")
    primary(replaced, "New", "2023-07-01")
    ContactFactory(account=replaced, name="Later colleague", started_on=dt.date(2024, 1, 1))

    twice = AccountFactory()
    primary(twice, "First", "2019-01-01", "2019-12-31")
    primary(twice, "Second", "2020-01-01", "2021-12-31")
    primary(twice, "Third", "2022-01-01")

    # One primary only, starting after other accounts' primaries: no change at this account.
    primary(AccountFactory(), "Only", "2024-01-01")

    names = set(Contact.objects.primary_replacements().values_list("name", flat=True))
    assert names == {"New", "Second", "Third"}


def test_a_primary_with_no_start_date_who_ended_before_the_newcomer_counts_as_earlier():
    account = AccountFactory()
    primary(account, "Founder", None, "2022-12-31")
    primary(account, "Successor", "2023-01-01")
    names = set(Contact.objects.primary_replacements().values_list("name", flat=True))
    assert names == {"Successor"}
