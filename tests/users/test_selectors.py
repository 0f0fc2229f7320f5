import pytest

from tests.factories import AccountManagerFactory
from users.selectors import account_managers_visible_to

pytestmark = pytest.mark.django_db


def names(user):
    return set(account_managers_visible_to(user=user).values_list("username", flat=True))


def test_an_account_manager_sees_only_themselves(account_manager, teammate):
    assert names(account_manager) == {"am1"}


def test_a_sales_manager_sees_the_members_of_their_teams(
    sales_manager, account_manager, teammate, stranger
):
    assert names(sales_manager) == {"am1", "am2"}


def test_an_admin_sees_every_active_account_manager(admin_user, account_manager, stranger):
    AccountManagerFactory(username="gone", is_active=False)
    assert names(admin_user) == {"am1", "am3"}


def test_an_inactive_user_sees_nobody(account_manager):
    account_manager.is_active = False
    assert names(account_manager) == set()
