"""The account page's log and contacts in Chromium, under the strict CSP: choosing a kind brings
its fields, logging swaps the card in place (no page load), the author deletes their entry after
confirming, and replacing the primary contact shows the organisational change in the log."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import AccountEvent, EventKind
from tests.e2e.conftest import screenshot
from tests.factories import AccountFactory, ContactFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def account(account_manager):
    account = AccountFactory(owner=account_manager, name="Steady Buyer Ltd")
    ContactFactory(account=account, name="Avi Cohen", is_primary=True)
    return account


def entries(page: Page):
    return page.get_by_test_id("log-entries").get_by_test_id("log-entry")


def test_logging_competitor_activity_and_deleting_it_in_place(
    page: Page, problems, sign_in, account_manager, account
):
    sign_in(account_manager)
    page.goto(f"/accounts/{account.pk}/", wait_until="networkidle")
    log = page.get_by_test_id("account-log")
    expect(log).to_contain_text("New entries count from the next nightly run.")
    page.evaluate("window.e2eSameDocument = true")  # a full page load would wipe it

    # Labels end in the required mark (*): the fields are found by their ids.
    log.locator("#log-text").fill("Heard at the fair")  # typed before the kind changes: kept
    with page.expect_response(lambda r: "kind=competitor" in r.url):
        log.locator("#log-kind").select_option("competitor")
    expect(log.locator("#log-competitor")).to_be_visible()
    expect(log.locator("#log-text")).to_have_value("Heard at the fair")
    log.locator("#log-competitor").fill("Rival Metals")
    log.locator("#log-offer").fill("12% off for a year")
    log.get_by_role("button", name="Log it").click()

    expect(page.get_by_test_id("log-notice")).to_have_text("Logged.")
    expect(entries(page)).to_have_count(1)
    expect(entries(page).first).to_contain_text("Rival Metals")
    assert AccountEvent.objects.get().kind == EventKind.COMPETITOR
    screenshot(page, "account-log-logged")

    page.once("dialog", lambda dialog: dialog.accept())
    entries(page).first.get_by_role("button", name="Delete").click()
    expect(page.get_by_test_id("log-notice")).to_have_text("Deleted.")
    expect(entries(page)).to_have_count(0)
    assert page.evaluate("window.e2eSameDocument") is True
    assert AccountEvent.history.filter(history_type="-").count() == 1
    assert problems == []


def test_a_new_primary_contact_shows_the_change_in_the_log_at_once(
    page: Page, problems, sign_in, account_manager, account
):
    sign_in(account_manager)
    page.goto(f"/accounts/{account.pk}/", wait_until="networkidle")
    contacts = page.get_by_test_id("contacts")
    contacts.get_by_text("Add a contact").click()
    contacts.locator("#contact-new-name").fill("Dana Levi")
    contacts.get_by_label("Primary contact").check()
    contacts.get_by_role("button", name="Add").click()

    expect(page.get_by_test_id("contacts-notice")).to_have_text("Contact added.")
    expect(entries(page).first).to_contain_text(
        "Primary contact changed from Avi Cohen to Dana Levi."
    )
    screenshot(page, "account-contacts-primary")
    assert problems == []
