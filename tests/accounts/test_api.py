"""/api/accounts/: a read-only view of exactly the accounts the signed-in user may see."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AccountFactory, AccountManagerFactory

pytestmark = pytest.mark.django_db

LIST = "/api/accounts/"


def detail(account) -> str:
    return f"/api/accounts/{account.pk}/"


def names_listed(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 200
    return {row["name"] for row in response.json()["results"]}


def test_it_serves_the_account_fields(client, account_manager):
    account = AccountFactory(
        owner=account_manager,
        external_id="C-42",
        name="Acme Ltd",
        industry="Food",
        purchasing_potential=Decimal("120000.50"),
    )
    client.force_login(account_manager)
    assert client.get(detail(account)).json() == {
        "id": account.pk,
        "external_id": "C-42",
        "name": "Acme Ltd",
        "industry": "Food",
        "owner_username": "am1",
        "status": "active",
        "purchasing_potential": "120000.50",
    }


def test_an_account_manager_sees_their_own_accounts(client, account_manager, own_account):
    assert names_listed(client, account_manager) == {"Own Ltd"}
    assert client.get(detail(own_account)).status_code == 200


def test_an_account_team_member_sees_the_account(client, account_manager, foreign_account):
    foreign_account.team_members.add(account_manager)
    assert names_listed(client, account_manager) == {"Foreign Ltd"}
    assert client.get(detail(foreign_account)).status_code == 200


def test_a_teammate_does_not_see_a_colleagues_account(client, teammate, own_account):
    assert names_listed(client, teammate) == set()
    assert client.get(detail(own_account)).status_code == 404


def test_a_sales_manager_sees_their_teams_accounts(
    client, sales_manager, teammate, own_account, foreign_account
):
    mate = AccountFactory(owner=teammate, name="Mate Ltd")
    assert names_listed(client, sales_manager) == {"Own Ltd", "Mate Ltd"}
    assert client.get(detail(mate)).status_code == 200
    assert client.get(detail(foreign_account)).status_code == 404


def test_an_admin_sees_every_account(client, admin_user, own_account, foreign_account):
    AccountFactory(owner=None, name="Unowned Ltd")
    assert names_listed(client, admin_user) == {"Own Ltd", "Foreign Ltd", "Unowned Ltd"}
    assert client.get(detail(foreign_account)).json()["owner_username"] == "am3"


def test_a_foreign_account_is_a_404(client, account_manager, foreign_account):
    client.force_login(account_manager)
    response = client.get(detail(foreign_account))
    assert response.status_code == 404
    assert "Foreign" not in response.content.decode()


@pytest.mark.parametrize("url", [LIST, "/api/accounts/1/"])
def test_an_anonymous_client_gets_a_json_refusal_not_the_login_page(client, url):
    response = client.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_is_read_only(client, account_manager, own_account, method):
    client.force_login(account_manager)
    for url in (LIST, detail(own_account)):
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code == 405


def test_the_list_is_paginated(client, admin_user):
    for n in range(3):
        AccountFactory(name=f"Page {n} Ltd")
    client.force_login(admin_user)
    page = client.get(LIST, {"limit": 2}).json()
    assert page["count"] == 3
    assert [row["name"] for row in page["results"]] == ["Page 0 Ltd", "Page 1 Ltd"]
    assert page["next"] is not None


def test_the_list_costs_the_same_queries_for_2_accounts_or_20(client, sales_manager, team):
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    client.force_login(sales_manager)
    owners = [AccountManagerFactory(team=team) for _ in range(4)]
    for n in range(2):
        AccountFactory(owner=owners[n])
    few = queries_for_list()
    for n in range(18):
        AccountFactory(owner=owners[n % 4])
    assert queries_for_list() == few
    assert few == 4  # session, user, count, page
