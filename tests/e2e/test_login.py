"""Signing in through the real form and out through the user menu."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.factories import AccountFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_account_manager_signs_in_sees_their_accounts_and_signs_out(
    page: Page, account_manager, stranger
):
    AccountFactory(owner=account_manager, name="Own Ltd")
    AccountFactory(owner=stranger, name="Foreign Ltd")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    page.get_by_label("Username").fill("am1")
    page.get_by_label("Password").fill("pw")
    screenshot(page, "login-en")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"://[^/]+/$"))
    table = page.get_by_test_id("account-table")
    expect(table.get_by_role("link", name="Own Ltd")).to_be_visible()
    expect(table).not_to_contain_text("Foreign Ltd")

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    # Signed out for real: the home page sends the browser back to the login form.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
