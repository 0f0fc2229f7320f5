"""The account page and the workspace's cards cost the same few queries however long the log
and the contact list grow (tests/querycount.py)."""

import pytest
from django.urls import reverse

from accounts.access import user_may_write
from tests.factories import AccountEventFactory, ContactFactory, OrderFactory
from tests.querycount import assert_queries_do_not_grow
from tests.workspace.conftest import HX
from workspace import cards
from workspace.templatetags import workspace as workspace_tags

pytestmark = pytest.mark.django_db


def more_history(account, authors):
    def add() -> None:
        for author in authors:
            AccountEventFactory.create_batch(15, account=account, author=author)
        ContactFactory.create_batch(6, account=account)
        ContactFactory(account=account, is_primary=True)
        OrderFactory.create_batch(5, account=account)

    return add


@pytest.mark.parametrize("role", ["owner", "owner_sales_manager", "member_sales_manager"])
def test_the_account_page_does_not_grow_with_the_log_or_the_contacts(
    client, people, own_account, role
):
    client.force_login(people[role])
    url = reverse("accounts:detail", args=[own_account.pk])
    authors = [people["owner"], people[role]]
    assert_queries_do_not_grow(client, url, add_data=more_history(own_account, authors))


@pytest.mark.parametrize("route", ["workspace:log", "workspace:contacts"])
def test_the_cards_do_not_grow_either(client, people, own_account, route):
    client.force_login(people["owner_sales_manager"])
    url = reverse(route, args=[own_account.pk])
    client.defaults.update(HX)
    authors = [people["owner"], people["owner_sales_manager"]]
    assert_queries_do_not_grow(client, url, add_data=more_history(own_account, authors))


def test_the_page_asks_the_write_rule_once(client, people, own_account, monkeypatch):
    """The log and contacts cards share one answer (the `account_workspace` tag)."""
    calls = []

    def counted(**kwargs):
        calls.append(kwargs["user"])
        return user_may_write(**kwargs)

    monkeypatch.setattr(workspace_tags, "user_may_write", counted)
    monkeypatch.setattr(cards, "user_may_write", counted)
    client.force_login(people["owner_sales_manager"])
    assert client.get(reverse("accounts:detail", args=[own_account.pk])).status_code == 200
    assert calls == [people["owner_sales_manager"]]
