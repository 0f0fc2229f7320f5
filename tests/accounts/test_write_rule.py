"""The one write rule (accounts/access.py: user_may_write, account_get_for_writer): the owner,
the account-team members, the sales manager of the owner's team and admins write; anyone else
who may see the account reads (403 on a write); a foreign account is a 404. And
`users_who_may_see`, the visibility rule read from the account's side, agrees with
`account_list_visible_to` for every user."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import account_get_for_writer, user_may_write
from accounts.models import Account
from accounts.selectors import account_list_visible_to, users_who_may_see
from tests.factories import (
    AccountFactory,
    AccountManagerFactory,
    AdminFactory,
    SalesManagerFactory,
    TeamFactory,
)
from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked_across_teams(account_manager, stranger):
    """The stranger's account, with am1 (another team) on its account team: am1's sales
    manager sees it through am1, but the owner is not in their team."""
    account = AccountFactory(owner=stranger, name="Across Ltd")
    account.team_members.add(account_manager)
    return account


def test_the_owner_writes(account_manager, own_account):
    assert user_may_write(user=account_manager, account=own_account)
    assert account_get_for_writer(user=account_manager, pk=own_account.pk) == own_account


def test_an_account_team_member_writes(teammate, own_account):
    own_account.team_members.add(teammate)
    assert user_may_write(user=teammate, account=own_account)


def test_the_sales_manager_of_the_owners_team_writes(sales_manager, own_account):
    assert user_may_write(user=sales_manager, account=own_account)


def test_an_admin_writes_everywhere(admin_user, foreign_account):
    assert user_may_write(user=admin_user, account=foreign_account)


def test_a_sales_manager_who_sees_the_account_only_through_a_member_reads(
    sales_manager, worked_across_teams
):
    assert account_list_visible_to(user=sales_manager).filter(pk=worked_across_teams.pk).exists()
    assert not user_may_write(user=sales_manager, account=worked_across_teams)
    with pytest.raises(PermissionDenied):
        account_get_for_writer(user=sales_manager, pk=worked_across_teams.pk)


def test_a_foreign_account_is_a_404_for_a_writer_fetch(account_manager, foreign_account):
    with pytest.raises(Http404):
        account_get_for_writer(user=account_manager, pk=foreign_account.pk)


def test_a_deactivated_owner_writes_nothing(account_manager, own_account):
    account_manager.is_active = False
    assert not user_may_write(user=account_manager, account=own_account)


def test_an_account_without_an_owner_is_for_admins(sales_manager, admin_user):
    unowned = AccountFactory(owner=None)
    assert not user_may_write(user=sales_manager, account=unowned)
    assert user_may_write(user=admin_user, account=unowned)


def test_the_rule_costs_one_query_at_most(
    sales_manager, own_account, teammate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        user_may_write(user=sales_manager, account=own_account)
    with django_assert_max_num_queries(1):
        user_may_write(user=teammate, account=own_account)


def test_who_may_see_an_account_is_the_visibility_rule_read_backwards(
    account_manager, teammate, stranger, admin_user, worked_across_teams, own_account
):
    """A mixed portfolio: own, across teams, unowned, owned by a sales manager, an inactive
    admin, a second team; every (user, account) pair answers the same both ways."""
    other_team = TeamFactory(manager=SalesManagerFactory(username="manager3"))
    am4 = AccountManagerFactory(username="am4", team=other_team)
    AccountFactory(owner=None, name="Unowned Ltd").team_members.add(am4)
    AccountFactory(owner=other_team.manager, name="Managers Own Ltd")
    AdminFactory(username="gone", is_active=False)
    own_account.team_members.add(teammate)
    for account in Account.objects.all():
        backwards = set(users_who_may_see(account=account))
        forwards = {
            user
            for user in User.objects.all()
            if account_list_visible_to(user=user).filter(pk=account.pk).exists()
        }
        assert backwards == forwards, account.name
