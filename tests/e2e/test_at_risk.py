"""The home page's "At risk" panel in a real browser, in both languages, and its link to the
filtered account list."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.factories import AccountFactory
from users.models import Language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADING = {Language.ENGLISH: "At risk", Language.HEBREW: "לקוחות בסיכון"}


@pytest.mark.parametrize("language", [Language.ENGLISH, Language.HEBREW])
def test_a_sales_manager_signs_in_and_follows_the_panel_to_the_list(
    page: Page, problems, sales_manager, account_at_risk, stranger, language
):
    sales_manager.language = language
    sales_manager.save(update_fields=["language"])
    AccountFactory(owner=stranger, name="Foreign Ltd")

    page.goto("/")
    page.locator("input[name=username]").fill("manager")
    page.locator("input[name=password]").fill("pw")
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(re.compile(r"://[^/]+/$"))

    panel = page.get_by_test_id("at-risk")
    expect(panel.get_by_role("heading", name=HEADING[language])).to_be_visible()
    expect(panel.get_by_role("link", name="Quiet Buyer Ltd")).to_be_visible()
    expect(panel).not_to_contain_text("Foreign Ltd")
    screenshot(page, f"home-at-risk-{language}")

    panel.get_by_test_id("at-risk-list-link").click()
    expect(page).to_have_url(re.compile(r"/accounts/\?risk=high&sort=-at_stake$"))
    expect(page.locator("select[name=risk]")).to_have_value("high")
    expect(page.get_by_test_id("account-table").locator('td[data-risk="high"]')).to_have_count(1)
    screenshot(page, f"account-list-at-risk-{language}")
    assert problems == []
