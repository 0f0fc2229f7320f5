"""The audit of account changes holds its own rules: each constraint refuses a bad row by name."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from accounts.models import AccountChange, AccountChangeKind
from tests.factories import AccountFactory, AccountManagerFactory

pytestmark = pytest.mark.django_db


def refused(match: str):
    return pytest.raises(IntegrityError, match=match)


@pytest.fixture
def people():
    return AccountFactory(), AccountManagerFactory(), AccountManagerFactory()


def write(account, by, **fields) -> AccountChange:
    with transaction.atomic():
        return AccountChange.objects.create(account=account, by=by, **fields)


def test_the_kind_is_one_of_the_choices(people):
    account, by, to = people
    with refused("account_change_kind_valid"):
        write(account, by, kind="renamed", to_user=to, reason="x")


def test_a_reassignment_names_the_new_owner(people):
    account, by, _ = people
    with refused("account_change_people_match_kind"):
        write(account, by, kind=AccountChangeKind.REASSIGNED, reason="x")


def test_an_added_member_is_named_as_to_and_only_so(people):
    account, by, member = people
    with refused("account_change_people_match_kind"):
        write(account, by, kind=AccountChangeKind.TEAM_MEMBER_ADDED, from_user=member)


def test_a_removed_member_is_named_as_from_and_only_so(people):
    account, by, member = people
    with refused("account_change_people_match_kind"):
        write(account, by, kind=AccountChangeKind.TEAM_MEMBER_REMOVED, to_user=member)


def test_a_reassignment_has_a_reason(people):
    account, by, to = people
    with refused("account_change_reassign_has_reason"):
        write(account, by, kind=AccountChangeKind.REASSIGNED, to_user=to, reason="")


def test_a_reassignment_moves_the_account_somewhere_else(people):
    account, by, to = people
    with refused("account_change_moves_somewhere"):
        write(account, by, kind=AccountChangeKind.REASSIGNED, from_user=to, to_user=to, reason="x")


def test_a_person_named_in_the_history_cannot_be_deleted(people):
    account, by, to = people
    write(account, by, kind=AccountChangeKind.TEAM_MEMBER_ADDED, to_user=to)
    with pytest.raises(ProtectedError):
        to.delete()
