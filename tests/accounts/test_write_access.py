"""Who may write to an account's workspace (accounts.access): the owner, the account-team
members, the sales manager leading the owner's team, and admins. Everyone else who sees the
account reads (403 on a write); whoever does not see it gets a 404."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import account_get_for_writer, user_may_write
from tests.factories import AccountManagerFactory, SalesManagerFactory, TeamFactory

pytestmark = pytest.mark.django_db


def writes(user, account) -> bool:
    return user_may_write(user=user, account=account)


class TestWhoWrites:
    def test_the_owner_writes(self, account_manager, own_account):
        assert writes(account_manager, own_account)

    def test_an_account_team_member_writes(self, own_account, stranger):
        own_account.team_members.add(stranger)
        assert writes(stranger, own_account)

    def test_the_sales_manager_of_the_owners_team_writes(self, sales_manager, own_account):
        assert writes(sales_manager, own_account)

    def test_an_admin_writes_everywhere(self, admin_user, foreign_account):
        assert writes(admin_user, foreign_account)

    def test_a_teammate_of_the_owner_off_the_account_team_does_not(self, teammate, own_account):
        assert not writes(teammate, own_account)

    def test_another_sales_manager_does_not(self, own_account, stranger):
        assert not writes(stranger.team.manager, own_account)

    def test_a_deactivated_owner_does_not(self, account_manager, own_account):
        account_manager.is_active = False
        assert not writes(account_manager, own_account)

    def test_nobody_but_an_admin_writes_to_an_account_without_owner(
        self, own_account, sales_manager, admin_user
    ):
        own_account.owner = None
        own_account.save()
        assert not writes(sales_manager, own_account)
        assert writes(admin_user, own_account)


class TestFetchForWriter:
    def test_a_writer_gets_the_account(self, sales_manager, own_account):
        assert account_get_for_writer(user=sales_manager, pk=own_account.pk) == own_account

    def test_a_stranger_gets_a_404(self, stranger, own_account):
        with pytest.raises(Http404):
            account_get_for_writer(user=stranger, pk=own_account.pk)

    def test_another_sales_manager_gets_a_404(self, stranger, own_account):
        with pytest.raises(Http404):
            account_get_for_writer(user=stranger.team.manager, pk=own_account.pk)

    def test_a_sales_manager_who_sees_it_only_through_a_team_member_gets_a_403(self, own_account):
        """They see the account (a member of their team works it) but do not lead the owner's
        team: they read, and may not write."""
        other_manager = SalesManagerFactory()
        member = AccountManagerFactory(team=TeamFactory(manager=other_manager))
        own_account.team_members.add(member)
        with pytest.raises(PermissionDenied):
            account_get_for_writer(user=other_manager, pk=own_account.pk)
        assert account_get_for_writer(user=member, pk=own_account.pk) == own_account

    def test_the_check_costs_one_query_at_most(
        self, django_assert_max_num_queries, stranger, own_account
    ):
        own_account.team_members.add(stranger)
        with django_assert_max_num_queries(1):
            assert writes(stranger, own_account)
