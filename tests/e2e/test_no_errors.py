"""The main pages load without console errors or failed static files, in both languages."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from users.models import Language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", [Language.ENGLISH, Language.HEBREW])
def test_home_list_and_account_pages_load_cleanly(
    page: Page, problems, sign_in, account_manager, account_at_risk, language
):
    account_manager.language = language
    account_manager.save(update_fields=["language"])
    sign_in(account_manager)

    for name, path in [
        ("home", "/"),
        ("account-list", "/accounts/"),
        ("account-page", f"/accounts/{account_at_risk.pk}/"),
    ]:
        response = page.goto(path, wait_until="networkidle")
        assert response is not None and response.status == 200, f"{path}: {response}"
        expect(page.locator("html")).to_have_attribute("lang", language)
        screenshot(page, f"{name}-{language}")

    page.wait_for_function("() => window.Chart && Chart.getChart('assessment-chart')")
    assert problems == []
