"""A sales manager's import touches their teams' accounts only (accounts.importers.scope)."""

import pytest

from accounts.models import Account, Order
from imports.models import ImportStatus
from tests.factories import AccountFactory, AccountManagerFactory, OrderFactory
from tests.imports.support import ORDERS_HEADER, check, confirm, csv_bytes, uploaded_run

pytestmark = pytest.mark.django_db

CUSTOMERS_HEADER = "external_id,name,industry,owner_username"


@pytest.fixture
def signed_in(client, sales_manager, team):
    client.force_login(sales_manager)
    return sales_manager


@pytest.fixture
def accounts(account_manager, stranger):
    return AccountFactory(external_id="MINE", owner=account_manager), AccountFactory(
        external_id="THEIRS", owner=stranger
    )


def test_orders_of_customers_outside_their_teams_are_row_errors(
    client, signed_in, accounts, stranger, django_capture_on_commit_callbacks
):
    OrderFactory(external_ref="OLD", account=accounts[1])
    lines = [
        ORDERS_HEADER,
        "O1,MINE,2026-01-15,,10,,,",
        "O2,THEIRS,2026-01-15,,10,,,",
        "OLD,MINE,2026-01-15,,10,,,",  # would move another team's order into theirs
    ]
    run = check(
        client,
        uploaded_run(client, "orders", csv_bytes(lines)),
        django_capture_on_commit_callbacks,
        skip_invalid=True,
    )

    assert run.errors == [
        'line 3, column 2 (customer_external_id): "THEIRS" is not one of your teams\' accounts',
        'line 4, column 1 (external_ref): "OLD" is stored under a customer outside your teams',
    ]
    confirm(client, run, django_capture_on_commit_callbacks)
    assert set(Order.objects.values_list("external_ref", "account__external_id")) == {
        ("O1", "MINE"),
        ("OLD", "THEIRS"),
    }


def test_they_may_create_customers_owned_by_their_teams_account_managers(
    client, signed_in, accounts, account_manager, stranger, django_capture_on_commit_callbacks
):
    lines = [
        CUSTOMERS_HEADER,
        "NEW1,New One,Steel,am1",
        "NEW2,New Two,Steel,",
        "NEW3,New Three,Steel,am3",
        "THEIRS,Renamed,Steel,",
        "MINE,Renamed Mine,,",
        "MINE2,,,",
    ]
    run = check(
        client,
        uploaded_run(client, "customers", csv_bytes(lines)),
        django_capture_on_commit_callbacks,
        skip_invalid=True,
    )

    assert run.errors == [
        "line 3, column 4 (owner_username): a new customer needs an owner: one of your teams' "
        "account managers",
        'line 4, column 4 (owner_username): "am3" is not an account manager of your teams',
        'line 5, column 1 (external_id): "THEIRS" is not one of your teams\' accounts',
        "line 7, column 2 (name): a value is required; column 4 (owner_username): a new "
        "customer needs an owner: one of your teams' account managers",
    ]
    assert (run.created, run.updated, run.rejected) == (1, 1, 4)
    run = confirm(client, run, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE
    assert Account.objects.get(external_id="NEW1").owner == account_manager
    assert Account.objects.get(external_id="MINE").name == "Renamed Mine"
    assert Account.objects.get(external_id="THEIRS").name != "Renamed"


def test_an_admin_has_no_such_limit(
    client, admin_user, accounts, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    lines = [ORDERS_HEADER, "O1,MINE,2026-01-15,,10,,,", "O2,THEIRS,2026-01-15,,10,,,"]
    run = check(
        client, uploaded_run(client, "orders", csv_bytes(lines)), django_capture_on_commit_callbacks
    )
    assert (run.created, run.rejected) == (2, 0)


def test_an_account_manager_may_not_import(client, account_manager):
    client.force_login(account_manager)
    assert client.get("/imports/").status_code == 403


def test_a_sales_manager_sees_only_their_own_imports(
    client, signed_in, accounts, django_capture_on_commit_callbacks
):
    other = AccountManagerFactory(username="x").team.manager
    client.force_login(other)
    foreign = uploaded_run(client, "orders", csv_bytes([ORDERS_HEADER]))
    client.force_login(signed_in)
    mine = uploaded_run(client, "orders", csv_bytes([ORDERS_HEADER]))

    assert client.get(f"/imports/{foreign.pk}/").status_code == 404
    assert client.get(f"/imports/{mine.pk}/").status_code == 200
    history = client.get("/imports/").context["page"].object_list
    assert [run.pk for run in history] == [mine.pk]
