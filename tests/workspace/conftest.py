"""The people around one account ("Own Ltd", am1's) for the workspace's pages, by how they stand
to it: who writes, who only reads, who does not see it."""

import pytest
from django.utils import timezone

from tests.factories import (
    AccountEventFactory,
    AccountManagerFactory,
    ContactFactory,
    SalesManagerFactory,
    TeamFactory,
)

WRITERS = ("owner", "team_member", "owner_sales_manager", "admin")
# A sales manager whose team member is on the account team: they see the account, but do not
# lead the owner's team.
READERS = ("member_sales_manager",)
FOREIGN = ("stranger", "other_sales_manager")
ROLES = WRITERS + READERS + FOREIGN


def outcome_for(role: str, *, written: int) -> int:
    """A write: `written` for a writer, 403 for a reader, 404 for whoever does not see it."""
    if role in WRITERS:
        return written
    return 403 if role in READERS else 404


@pytest.fixture
def people(account_manager, sales_manager, admin_user, stranger, own_account) -> dict:
    member = AccountManagerFactory(username="member")
    reader = SalesManagerFactory(username="reader_sm")
    reader_member = AccountManagerFactory(
        username="reader_member", team=TeamFactory(manager=reader)
    )
    own_account.team_members.add(member, reader_member)
    return {
        "owner": account_manager,
        "team_member": member,
        "owner_sales_manager": sales_manager,
        "admin": admin_user,
        "member_sales_manager": reader,
        "stranger": stranger,
        "other_sales_manager": stranger.team.manager,
    }


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def contact(own_account):
    return ContactFactory(account=own_account, name="Dana")


@pytest.fixture
def owners_entry(own_account, account_manager):
    """An entry the owner logged a moment ago: still theirs to change."""
    return AccountEventFactory(account=own_account, author=account_manager, text="Owner note")


HX = {"HTTP_HX_REQUEST": "true"}
