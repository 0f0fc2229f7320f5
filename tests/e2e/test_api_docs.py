"""The API documentation (Swagger UI) and the tokens page in Chromium, under the strict
Content-Security-Policy: Swagger UI draws the schema's operations with no refused script or
style, and "Try it out" calls the API with the browser's session."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_strict_csp import visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_docs_draw_every_operation_under_the_policy(
    page: Page, problems, sign_in, account_manager, account_at_risk
):
    sign_in(account_manager)
    visit(page, "/api/docs/")
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=15_000)
    assert page.locator(".opblock").count() > 30
    page.locator("#operations-accounts-accounts_list .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda r: "/api/v1/accounts/" in r.url) as answer:
        page.get_by_role("button", name="Execute").click()
    assert answer.value.status == 200
    screenshot(page, "api-docs")
    assert problems == []


def test_the_tokens_page_under_the_policy(page: Page, problems, sign_in, account_manager):
    sign_in(account_manager)
    visit(page, "/profile/tokens/")
    page.get_by_label("Name").fill("report")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_test_id("new-key-value")).to_be_visible()
    assert problems == []
