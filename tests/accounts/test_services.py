"""Reassigning accounts and changing account teams: the change, its audit row, the refusals."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Account, AccountChange, AccountChangeKind
from accounts.selectors import account_change_list, account_list_visible_to
from accounts.services import (
    account_reassign,
    account_reassign_many,
    account_team_add,
    account_team_remove,
)
from tests.factories import AccountFactory, AccountManagerFactory

pytestmark = pytest.mark.django_db


class refused:  # lower case: read like pytest.raises
    """pytest.raises(ValidationError) that also checks the error's code."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __enter__(self):
        self.raises = pytest.raises(ValidationError)
        self.info = self.raises.__enter__()
        return self.info

    def __exit__(self, *exc):
        handled = self.raises.__exit__(*exc)
        error = self.info.value
        # A field's error (the form or the API shows it at its field) carries its code inside.
        codes = (
            [e.code for errors in error.error_dict.values() for e in errors]
            if hasattr(error, "error_dict")
            else [error.code]
        )
        assert self.code in codes, error
        return handled


class TestReassign:
    def test_it_moves_the_account_and_writes_the_audit_row(
        self, sales_manager, account_manager, teammate, own_account
    ):
        change = account_reassign(
            account=own_account, to=teammate, by=sales_manager, reason="Holiday cover"
        )
        own_account.refresh_from_db()
        assert own_account.owner == teammate
        row = AccountChange.objects.get()
        assert row == change
        assert (row.kind, row.by, row.from_user, row.to_user, row.reason) == (
            AccountChangeKind.REASSIGNED,
            sales_manager,
            account_manager,
            teammate,
            "Holiday cover",
        )
        assert row.at is not None

    def test_access_follows_at_once(self, sales_manager, account_manager, teammate, own_account):
        account_reassign(account=own_account, to=teammate, by=sales_manager, reason="Cover")
        assert own_account not in account_list_visible_to(user=account_manager)
        assert own_account in account_list_visible_to(user=teammate)

    def test_an_admin_may_move_an_account_across_teams(
        self, admin_user, own_account, stranger, account_manager
    ):
        account_reassign(account=own_account, to=stranger, by=admin_user, reason="Region")
        assert Account.objects.get(pk=own_account.pk).owner == stranger

    def test_an_unowned_account_gets_its_first_owner(self, admin_user, account_manager):
        account = AccountFactory(owner=None)
        change = account_reassign(account=account, to=account_manager, by=admin_user, reason="New")
        assert change.from_user is None and change.to_user == account_manager

    def test_the_new_owner_leaves_the_account_team(self, sales_manager, teammate, own_account):
        own_account.team_members.add(teammate)
        account_reassign(account=own_account, to=teammate, by=sales_manager, reason="Promoted")
        assert not own_account.team_members.exists()
        kinds = list(account_change_list(account=own_account).values_list("kind", flat=True))
        assert sorted(kinds) == [
            AccountChangeKind.REASSIGNED,
            AccountChangeKind.TEAM_MEMBER_REMOVED,
        ]

    def test_a_reason_is_required(self, sales_manager, teammate, own_account):
        with refused("reason"):
            account_reassign(account=own_account, to=teammate, by=sales_manager, reason="  ")
        assert not AccountChange.objects.exists()

    def test_an_account_manager_may_not_reassign(self, account_manager, teammate, own_account):
        with refused("target"):
            account_reassign(account=own_account, to=teammate, by=account_manager, reason="Mine")
        assert Account.objects.get(pk=own_account.pk).owner == account_manager

    def test_a_sales_manager_may_not_hand_to_another_team(
        self, sales_manager, stranger, own_account
    ):
        with refused("target"):
            account_reassign(account=own_account, to=stranger, by=sales_manager, reason="Away")

    def test_nor_to_an_inactive_account_manager(self, sales_manager, teammate, own_account):
        teammate.is_active = False
        teammate.save()
        with refused("target"):
            account_reassign(account=own_account, to=teammate, by=sales_manager, reason="Away")

    def test_a_sales_manager_may_not_take_another_teams_account(
        self, sales_manager, teammate, foreign_account
    ):
        with refused("not_allowed") as info:
            account_reassign(account=foreign_account, to=teammate, by=sales_manager, reason="x")
        assert "Foreign Ltd" in str(info.value)
        assert Account.objects.get(pk=foreign_account.pk).owner != teammate

    def test_moving_to_the_current_owner_is_refused(
        self, sales_manager, account_manager, own_account
    ):
        with refused("unchanged"):
            account_reassign(
                account=own_account, to=account_manager, by=sales_manager, reason="Again"
            )
        assert not AccountChange.objects.exists()


class TestReassignMany:
    def test_it_moves_every_account_with_one_audit_row_each(
        self, sales_manager, account_manager, teammate
    ):
        accounts = AccountFactory.create_batch(3, owner=account_manager)
        changes = account_reassign_many(
            accounts=accounts, to=teammate, by=sales_manager, reason="Leaving"
        )
        assert len(changes) == 3
        assert set(Account.objects.values_list("owner", flat=True)) == {teammate.pk}
        assert AccountChange.objects.filter(reason="Leaving", to_user=teammate).count() == 3

    def test_all_or_nothing_one_forbidden_account_stops_them_all(
        self, sales_manager, account_manager, teammate, own_account, foreign_account
    ):
        with refused("not_allowed") as info:
            account_reassign_many(
                accounts=[own_account, foreign_account],
                to=teammate,
                by=sales_manager,
                reason="Leaving",
            )
        assert "Foreign Ltd" in str(info.value) and "Own Ltd" not in str(info.value)
        assert Account.objects.get(pk=own_account.pk).owner == account_manager
        assert not AccountChange.objects.exists()

    def test_accounts_the_target_owns_already_are_left_alone(
        self, sales_manager, account_manager, teammate, own_account
    ):
        theirs = AccountFactory(owner=teammate)
        changes = account_reassign_many(
            accounts=[own_account, theirs], to=teammate, by=sales_manager, reason="Merge"
        )
        assert [c.account_id for c in changes] == [own_account.pk]

    def test_an_empty_selection_is_refused(self, sales_manager, teammate):
        with refused("empty"):
            account_reassign_many(accounts=[], to=teammate, by=sales_manager, reason="x")

    def test_a_long_refusal_names_ten_and_counts_the_rest(self, sales_manager, teammate, stranger):
        accounts = AccountFactory.create_batch(12, owner=stranger)
        with refused("not_allowed") as info:
            account_reassign_many(accounts=accounts, to=teammate, by=sales_manager, reason="x")
        assert "and 2 more" in str(info.value)

    def test_its_queries_do_not_grow_with_the_selection(
        self, sales_manager, account_manager, teammate, django_assert_max_num_queries
    ):
        accounts = AccountFactory.create_batch(40, owner=account_manager)
        with django_assert_max_num_queries(10):
            account_reassign_many(accounts=accounts, to=teammate, by=sales_manager, reason="x")


class TestAccountTeam:
    @pytest.mark.parametrize("who", ["account_manager", "sales_manager", "admin_user"])
    def test_owner_sales_manager_and_admin_add_and_remove(
        self, request, own_account, teammate, who
    ):
        by = request.getfixturevalue(who)
        added = account_team_add(account=own_account, user=teammate, by=by)
        assert list(own_account.team_members.all()) == [teammate]
        removed = account_team_remove(account=own_account, user=teammate, by=by)
        assert not own_account.team_members.exists()
        assert (added.kind, added.to_user, added.from_user, added.by) == (
            AccountChangeKind.TEAM_MEMBER_ADDED,
            teammate,
            None,
            by,
        )
        assert (removed.kind, removed.from_user, removed.to_user) == (
            AccountChangeKind.TEAM_MEMBER_REMOVED,
            teammate,
            None,
        )

    def test_a_new_member_sees_the_account_at_once(self, account_manager, teammate, own_account):
        account_team_add(account=own_account, user=teammate, by=account_manager)
        assert own_account in account_list_visible_to(user=teammate)

    def test_a_team_member_may_not_change_the_team(self, own_account, teammate):
        own_account.team_members.add(teammate)
        other = AccountManagerFactory(team=teammate.team)
        with refused("not_allowed"):
            account_team_add(account=own_account, user=other, by=teammate)
        with refused("not_allowed"):
            account_team_remove(account=own_account, user=teammate, by=teammate)
        assert list(own_account.team_members.all()) == [teammate]

    def test_a_sales_manager_may_not_be_a_member(self, admin_user, own_account, sales_manager):
        with refused("candidate"):
            account_team_add(account=own_account, user=sales_manager, by=admin_user)

    def test_an_inactive_user_may_not_join(self, account_manager, own_account, teammate):
        teammate.is_active = False
        teammate.save()
        with refused("candidate"):
            account_team_add(account=own_account, user=teammate, by=account_manager)

    def test_the_owner_may_not_join_their_own_team(self, account_manager, own_account):
        with refused("candidate"):
            account_team_add(account=own_account, user=account_manager, by=account_manager)

    def test_a_member_is_added_once(self, account_manager, own_account, teammate):
        account_team_add(account=own_account, user=teammate, by=account_manager)
        with refused("candidate"):
            account_team_add(account=own_account, user=teammate, by=account_manager)
        assert AccountChange.objects.count() == 1

    def test_the_owner_adds_only_from_their_sales_managers_teams(
        self, account_manager, own_account, stranger
    ):
        with refused("candidate"):
            account_team_add(account=own_account, user=stranger, by=account_manager)

    def test_removing_a_non_member_is_refused(self, account_manager, own_account, teammate):
        with refused("not_member"):
            account_team_remove(account=own_account, user=teammate, by=account_manager)
