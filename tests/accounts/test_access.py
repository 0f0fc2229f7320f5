"""Who may reassign an account and change its account team (accounts/access.py)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import (
    account_for_reassign,
    account_for_team_change,
    accounts_refused_for_reassign,
    reassign_targets,
    team_member_candidates,
    user_may_manage_team,
    user_may_reassign,
)
from tests.factories import (
    AccountFactory,
    AccountManagerFactory,
    SalesManagerFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


class TestReassignRule:
    def test_an_admin_may_reassign_any_account(self, admin_user, own_account, foreign_account):
        assert user_may_reassign(user=admin_user, account=own_account)
        assert user_may_reassign(user=admin_user, account=foreign_account)
        assert user_may_reassign(user=admin_user, account=AccountFactory(owner=None))

    def test_a_sales_manager_may_reassign_their_teams_accounts(self, sales_manager, own_account):
        assert user_may_reassign(user=sales_manager, account=own_account)

    def test_a_sales_manager_may_reassign_accounts_of_every_team_they_lead(self, sales_manager):
        second = TeamFactory(manager=sales_manager)
        account = AccountFactory(owner=AccountManagerFactory(team=second))
        assert user_may_reassign(user=sales_manager, account=account)

    def test_a_sales_manager_may_not_reassign_another_teams_account(
        self, sales_manager, foreign_account
    ):
        assert not user_may_reassign(user=sales_manager, account=foreign_account)

    def test_nor_one_they_see_only_because_a_member_works_on_it(
        self, sales_manager, account_manager, foreign_account
    ):
        foreign_account.team_members.add(account_manager)
        assert not user_may_reassign(user=sales_manager, account=foreign_account)

    def test_an_account_manager_may_reassign_nothing(self, account_manager, own_account):
        assert not user_may_reassign(user=account_manager, account=own_account)

    def test_refusals_name_the_accounts_in_one_query(
        self, sales_manager, own_account, foreign_account, django_assert_num_queries
    ):
        with django_assert_num_queries(1):
            refused = accounts_refused_for_reassign(
                user=sales_manager, accounts=[own_account, foreign_account]
            )
        assert refused == [foreign_account]


class TestReassignTargets:
    def test_an_admin_may_choose_any_active_account_manager(
        self, admin_user, account_manager, teammate, stranger
    ):
        AccountManagerFactory(username="gone", is_active=False)
        SalesManagerFactory(username="boss")
        names = set(reassign_targets(user=admin_user).values_list("username", flat=True))
        assert names == {"am1", "am2", "am3"}

    def test_a_sales_manager_chooses_among_their_teams(
        self, sales_manager, account_manager, teammate, stranger
    ):
        AccountManagerFactory(username="gone", is_active=False, team=account_manager.team)
        names = set(reassign_targets(user=sales_manager).values_list("username", flat=True))
        assert names == {"am1", "am2"}

    def test_an_account_manager_has_no_one(self, account_manager, teammate):
        assert not reassign_targets(user=account_manager).exists()


class TestTeamRule:
    @pytest.mark.parametrize("who", ["account_manager", "sales_manager", "admin_user"])
    def test_the_owner_their_sales_manager_and_admins_manage_the_team(
        self, request, own_account, who
    ):
        assert user_may_manage_team(user=request.getfixturevalue(who), account=own_account)

    def test_a_team_member_does_not(self, own_account, teammate):
        own_account.team_members.add(teammate)
        assert not user_may_manage_team(user=teammate, account=own_account)

    def test_another_sales_manager_does_not(self, own_account, stranger):
        assert not user_may_manage_team(user=stranger.team.manager, account=own_account)

    def test_nobody_but_an_admin_manages_an_unowned_account(self, admin_user, sales_manager):
        account = AccountFactory(owner=None)
        assert user_may_manage_team(user=admin_user, account=account)
        assert not user_may_manage_team(user=sales_manager, account=account)

    def test_candidates_are_active_account_managers_of_the_owners_sales_manager(
        self, account_manager, teammate, stranger, own_account
    ):
        AccountManagerFactory(username="gone", is_active=False, team=account_manager.team)
        sister = AccountManagerFactory(
            username="sister", team=TeamFactory(manager=account_manager.team.manager)
        )
        names = set(
            team_member_candidates(user=account_manager, account=own_account).values_list(
                "username", flat=True
            )
        )
        assert names == {"am2", sister.username}

    def test_an_admin_may_add_any_active_account_manager_but_the_owner_and_members(
        self, admin_user, account_manager, teammate, stranger, own_account
    ):
        own_account.team_members.add(teammate)
        names = set(
            team_member_candidates(user=admin_user, account=own_account).values_list(
                "username", flat=True
            )
        )
        assert names == {"am3"}

    def test_sales_managers_are_never_candidates(self, admin_user, sales_manager, own_account):
        candidates = team_member_candidates(user=admin_user, account=own_account)
        assert sales_manager not in candidates


class TestFetchHelpers:
    def test_a_foreign_account_is_not_found(self, sales_manager, foreign_account):
        with pytest.raises(Http404):
            account_for_reassign(user=sales_manager, pk=foreign_account.pk)
        with pytest.raises(Http404):
            account_for_team_change(user=sales_manager, pk=foreign_account.pk)

    def test_a_visible_account_one_may_not_change_is_forbidden(self, teammate, own_account):
        own_account.team_members.add(teammate)
        with pytest.raises(PermissionDenied):
            account_for_reassign(user=teammate, pk=own_account.pk)
        with pytest.raises(PermissionDenied):
            account_for_team_change(user=teammate, pk=own_account.pk)

    def test_an_allowed_account_is_returned(self, sales_manager, own_account):
        assert account_for_reassign(user=sales_manager, pk=own_account.pk) == own_account
        assert account_for_team_change(user=sales_manager, pk=own_account.pk) == own_account
