"""The filters' choices (owners, teams, industries of the visible accounts) are read once per
version of the portfolio data, and a write that changes them shows at once."""

import pytest

from portfolio.filters import PortfolioFilterForm, visible_choices
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def industries(user) -> list[str]:
    return [value for value, _label in PortfolioFilterForm(user=user).fields["industry"].choices]


def test_read_once_then_one_small_query(sales_manager, own_account, django_assert_num_queries):
    first = visible_choices(user=sales_manager)
    with django_assert_num_queries(1):  # the data's version; the choices come from the cache
        again = visible_choices(user=sales_manager)
    assert again == first
    assert own_account.owner_id in first.owner_ids


def test_a_new_industry_shows_at_once(sales_manager, account_manager, own_account):
    assert "Zinc mining" not in industries(sales_manager)
    AccountFactory(owner=account_manager, industry="Zinc mining")
    assert "Zinc mining" in industries(sales_manager)


def test_each_user_gets_their_own_choices(sales_manager, stranger, own_account):
    AccountFactory(owner=stranger, industry="Theirs only")
    assert "Theirs only" not in industries(sales_manager)
    assert own_account.owner_id not in visible_choices(user=stranger).owner_ids
