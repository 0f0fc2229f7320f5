"""The account list and the account page: visibility, search, filter, sort, figures, queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AccountEventFactory,
    AccountFactory,
    AccountManagerFactory,
    ContactFactory,
    OrderFactory,
    SalesManagerFactory,
    TeamFactory,
)
from tests.querycount import PAGE_QUERY_CEILING, assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [a.name for a in response.context["page"].object_list]


def detail_url(account) -> str:
    return reverse("accounts:detail", args=[account.pk])


class TestAccountPageVisibility:
    @pytest.mark.parametrize("who", ["account_manager", "sales_manager", "admin_user"])
    def test_it_opens_for_owner_sales_manager_and_admin(self, client, request, own_account, who):
        user = request.getfixturevalue(who)
        assert get(client, user, detail_url(own_account)).status_code == 200

    def test_it_opens_for_an_account_team_member(self, client, own_account, stranger):
        own_account.team_members.add(stranger)
        assert get(client, stranger, detail_url(own_account)).status_code == 200

    def test_it_is_not_found_for_an_account_manager_of_another_team(
        self, client, own_account, stranger
    ):
        assert get(client, stranger, detail_url(own_account)).status_code == 404

    def test_it_is_not_found_for_a_teammate_who_does_not_work_it(
        self, client, own_account, teammate
    ):
        assert get(client, teammate, detail_url(own_account)).status_code == 404

    def test_it_is_not_found_for_the_sales_manager_of_another_team(
        self, client, own_account, stranger
    ):
        assert get(client, stranger.team.manager, detail_url(own_account)).status_code == 404

    def test_it_is_not_found_for_a_sales_manager_without_teams(self, client, own_account):
        assert get(client, SalesManagerFactory(), detail_url(own_account)).status_code == 404

    def test_a_missing_account_is_not_found_either(self, client, admin_user):
        assert get(client, admin_user, "/accounts/999999/").status_code == 404


class TestAccountPageContent:
    def test_it_shows_figures_people_orders_and_events(self, client, account_manager, own_account):
        today = timezone.localdate()
        OrderFactory(account=own_account, ordered_on=today, revenue=Decimal("1200"))
        OrderFactory(
            account=own_account, ordered_on=today - dt.timedelta(days=500), revenue=Decimal("80")
        )
        ContactFactory(account=own_account, name="Dana Primary", is_primary=True)
        ContactFactory(
            account=own_account, name="Old Boss", is_primary=True, ended_on=dt.date(2025, 1, 1)
        )
        AccountEventFactory(account=own_account, text="Competitor offered 5% off")
        own_account.team_members.add(AccountManagerFactory(first_name="Tal", last_name="Helper"))
        response = get(client, account_manager, detail_url(own_account))
        figures = response.context["figures"]
        assert (figures["revenue_12m"], figures["revenue_prev_12m"]) == (1200, 80)
        assert figures["orders_12m"] == 1
        html = response.content.decode()
        for text in (
            "Dana Primary",
            "Old Boss",
            "Past contacts",
            "Competitor offered",
            "Tal Helper",
        ):
            assert text in html
        contacts = response.context["workspace"].contacts
        assert [c.name for c in contacts.current] == ["Dana Primary"]

    def test_it_shows_the_latest_twenty_orders(self, client, account_manager, own_account):
        start = dt.date(2026, 1, 1)
        for i in range(25):
            OrderFactory(account=own_account, ordered_on=start + dt.timedelta(days=i))
        response = get(client, account_manager, detail_url(own_account))
        orders = response.context["recent_orders"]
        assert len(orders) == 20 and orders[0].ordered_on == start + dt.timedelta(days=24)

    def test_its_queries_do_not_grow_with_the_history(self, client, account_manager, own_account):
        def add_history():
            AccountEventFactory.create_batch(30, account=own_account, author=account_manager)
            OrderFactory.create_batch(30, account=own_account)
            ContactFactory.create_batch(5, account=own_account)
            own_account.team_members.add(*AccountManagerFactory.create_batch(3))

        client.force_login(account_manager)
        assert_queries_do_not_grow(client, detail_url(own_account), add_data=add_history)


class TestAccountList:
    def test_it_lists_only_visible_accounts(
        self, client, account_manager, own_account, foreign_account
    ):
        assert listed(get(client, account_manager, "/accounts/")) == ["Own Ltd"]

    def test_sales_manager_sees_the_whole_team(
        self, client, sales_manager, own_account, teammate, foreign_account
    ):
        AccountFactory(owner=teammate, name="Mate Ltd")
        assert listed(get(client, sales_manager, "/accounts/")) == ["Mate Ltd", "Own Ltd"]

    def test_search_by_name_or_erp_id(self, client, account_manager):
        AccountFactory(owner=account_manager, name="Acme Steel", external_id="ERP-77")
        AccountFactory(owner=account_manager, name="Bolt Works")
        assert listed(get(client, account_manager, "/accounts/?q=acme")) == ["Acme Steel"]
        assert listed(get(client, account_manager, "/accounts/?q=erp-77")) == ["Acme Steel"]

    def test_search_never_reaches_a_foreign_account(self, client, account_manager, foreign_account):
        assert listed(get(client, account_manager, "/accounts/?q=Foreign")) == []

    def test_filter_by_owner(self, client, sales_manager, own_account, teammate):
        AccountFactory(owner=teammate, name="Mate Ltd")
        url = f"/accounts/?owner={teammate.pk}"
        assert listed(get(client, sales_manager, url)) == ["Mate Ltd"]

    def test_a_foreign_owner_is_not_a_choice(self, client, sales_manager, own_account, stranger):
        response = get(client, sales_manager, f"/accounts/?owner={stranger.pk}")
        assert listed(response) == ["Own Ltd"]
        assert "ignored" in response.content.decode()

    def test_a_malformed_filter_is_reported_not_a_crash(self, client, admin_user, own_account):
        response = get(client, admin_user, "/accounts/?owner=abc&q=own&sort=bogus")
        assert listed(response) == ["Own Ltd"]
        html = response.content.decode()
        assert "Account manager" in html and "Sort by" in html and "ignored" in html

    def test_the_filters_refresh_only_the_results_with_htmx(self, client, account_manager):
        AccountFactory.create_batch(2, owner=account_manager)
        html = get(client, account_manager, "/accounts/").content.decode()
        assert 'hx-select="#account-results"' in html and 'id="account-results"' in html
        assert "2 accounts" in html

    def test_account_managers_filter_by_owner_among_their_own_and_team_accounts(
        self, client, account_manager, teammate, own_account
    ):
        """The accounts of the account teams they are on have other owners: the owner filter
        tells them apart; there is no team filter."""
        team_account = AccountFactory(owner=teammate, name="Team Ltd")
        team_account.team_members.add(account_manager)
        response = get(client, account_manager, "/accounts/")
        form = response.context["form"]
        assert "team" not in form.fields
        assert set(form.fields["owner"].queryset) == {account_manager, teammate}
        only_team = get(client, account_manager, f"/accounts/?owner={teammate.pk}")
        assert listed(only_team) == ["Team Ltd"]

    def test_sort_by_revenue(self, client, account_manager):
        rich, poor = (AccountFactory(owner=account_manager, name=n) for n in ("Z rich", "A poor"))
        OrderFactory(account=rich, ordered_on=timezone.localdate(), revenue=Decimal("9000"))
        OrderFactory(account=poor, ordered_on=timezone.localdate(), revenue=Decimal("10"))
        assert listed(get(client, account_manager, "/accounts/?sort=-revenue")) == [
            "Z rich",
            "A poor",
        ]
        assert listed(get(client, account_manager, "/accounts/?sort=name")) == ["A poor", "Z rich"]
        assert listed(get(client, account_manager, "/accounts/?sort=-name")) == ["Z rich", "A poor"]

    def test_it_paginates_and_keeps_the_filters(self, client, account_manager):
        AccountFactory.create_batch(55, owner=account_manager, name="Same")
        response = get(client, account_manager, "/accounts/?q=same&page=2")
        assert len(listed(response)) == 5
        assert "q=same&amp;page=1" in response.content.decode()


def add_accounts(owners, count: int) -> None:
    for owner in owners:
        for account in AccountFactory.create_batch(count, owner=owner):
            OrderFactory.create_batch(2, account=account, ordered_on=timezone.localdate())


@pytest.mark.parametrize("who", ["account_manager", "sales_manager", "admin_user"])
@pytest.mark.parametrize("query", ["", "?sort=-revenue", "?q=Customer&page=2"])
def test_the_list_queries_do_not_grow_with_the_accounts(
    client, request, who, query, account_manager, sales_manager, django_assert_max_num_queries
):
    owners = [account_manager, AccountManagerFactory(team=TeamFactory(manager=sales_manager))]
    add_accounts(owners, 30)  # enough for a second page of 50
    client.force_login(request.getfixturevalue(who))
    url = f"/accounts/{query}"
    assert_queries_do_not_grow(client, url, add_data=lambda: add_accounts(owners, 40))
    with django_assert_max_num_queries(PAGE_QUERY_CEILING):
        client.get(url)


def test_a_foreign_account_gets_the_portals_not_found_page(
    client, account_manager, foreign_account
):
    response = get(client, account_manager, detail_url(foreign_account))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "Foreign Ltd" not in html and "role-nav" in html
