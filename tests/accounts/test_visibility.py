import pytest
from django.http import Http404

from accounts.selectors import account_get_for_user, account_list_visible_to
from tests.factories import AccountFactory, AccountManagerFactory, UserFactory

pytestmark = pytest.mark.django_db


def visible(user):
    return set(account_list_visible_to(user=user).values_list("name", flat=True))


def test_account_manager_sees_own_accounts_only(account_manager, own_account, foreign_account):
    assert visible(account_manager) == {"Own Ltd"}


def test_account_manager_sees_accounts_whose_team_they_are_on(account_manager, foreign_account):
    foreign_account.team_members.add(account_manager)
    assert visible(account_manager) == {"Foreign Ltd"}


def test_teammate_does_not_see_a_colleagues_account(teammate, own_account):
    assert visible(teammate) == set()


def test_sales_manager_sees_their_teams_accounts(
    sales_manager, own_account, teammate, foreign_account
):
    AccountFactory(owner=teammate, name="Mate Ltd")
    assert visible(sales_manager) == {"Own Ltd", "Mate Ltd"}


def test_sales_manager_sees_accounts_worked_by_their_team(
    sales_manager, account_manager, foreign_account
):
    foreign_account.team_members.add(account_manager)
    assert visible(sales_manager) == {"Foreign Ltd"}


def test_sales_manager_of_another_team_sees_none_of_ours(own_account, stranger):
    assert visible(stranger.team.manager) == set()


def test_admin_sees_everything(admin_user, own_account, foreign_account):
    AccountFactory(owner=None, name="Unowned Ltd")
    assert visible(admin_user) == {"Own Ltd", "Foreign Ltd", "Unowned Ltd"}


def test_inactive_user_sees_nothing(account_manager, own_account):
    account_manager.is_active = False
    account_manager.save()
    assert visible(account_manager) == set()


def test_user_without_a_known_role_sees_nothing(own_account):
    user = UserFactory(role="account_manager")
    user.role = "visitor"
    assert visible(user) == set()


def test_fetching_a_foreign_account_is_not_found(account_manager, foreign_account):
    with pytest.raises(Http404):
        account_get_for_user(user=account_manager, pk=foreign_account.pk)


def test_fetching_an_own_account_returns_it(account_manager, own_account):
    assert account_get_for_user(user=account_manager, pk=own_account.pk) == own_account


def test_a_member_of_two_account_teams_sees_both(db):
    am = AccountManagerFactory()
    first, second = AccountFactory.create_batch(2)
    first.team_members.add(am)
    second.team_members.add(am)
    assert account_list_visible_to(user=am).count() == 2
