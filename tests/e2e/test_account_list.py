"""The account list's search: live with htmx, and as a plain GET form without JavaScript."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import TIMEOUT_MS, screenshot
from tests.factories import AccountFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def three_accounts(account_manager):
    for name in ("Alpha Steel", "Beta Foods", "Gamma Steel"):
        AccountFactory(owner=account_manager, name=name)


def result_names(page: Page):
    return page.get_by_test_id("account-table").locator("tbody tr[data-account-id] td:first-child")


def test_typing_a_search_narrows_the_table_in_place_and_updates_the_url(
    page: Page, sign_in, account_manager, three_accounts
):
    sign_in(account_manager)
    page.goto("/accounts/")
    expect(result_names(page)).to_have_count(3)
    # A full page load would wipe this marker; an htmx swap keeps the document.
    page.evaluate("window.e2eSameDocument = true")

    with page.expect_response(
        lambda r: "q=Steel" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.get_by_role("searchbox", name="Search").fill("Steel")

    expect(result_names(page)).to_have_text(["Alpha Steel", "Gamma Steel"])
    expect(page.get_by_test_id("account-count")).to_contain_text("2 accounts")
    expect(page).to_have_url(re.compile(r"/accounts/\?.*q=Steel"))
    assert page.evaluate("window.e2eSameDocument") is True
    screenshot(page, "account-list-search-en")


def test_without_javascript_the_search_is_a_plain_get_form(
    browser: Browser, base_url: str, sign_in, context, account_manager, three_accounts
):
    sign_in(account_manager)  # puts the session cookie in `context`; copy it to a no-JS one
    no_js = browser.new_context(base_url=base_url, java_script_enabled=False)
    no_js.add_cookies(context.cookies())
    no_js.set_default_timeout(TIMEOUT_MS)
    page = no_js.new_page()
    try:
        page.goto("/accounts/")
        expect(result_names(page)).to_have_count(3)
        page.get_by_role("searchbox", name="Search").fill("Beta")
        with page.expect_navigation():
            page.get_by_role("button", name="Apply").click()
        expect(page).to_have_url(re.compile(r"/accounts/\?.*q=Beta"))
        expect(result_names(page)).to_have_text(["Beta Foods"])
    finally:
        no_js.close()
