"""A Hebrew user's pages read right to left; the language switcher flips them and it sticks."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from users.models import Language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def stylesheets(page: Page) -> list[str]:
    """The Bootstrap stylesheet the browser actually loaded (not just linked)."""
    return page.evaluate(
        """() => [...document.styleSheets]
            .filter(s => s.href && /bootstrap/.test(s.href) && s.cssRules.length > 0)
            .map(s => s.href.split('/').pop())"""
    )


def navbar_layout(page: Page) -> tuple[bool, bool]:
    """(brand right of the user menu, page links next to the brand rather than the menu).
    The direction alone moves the brand; only the matching stylesheet's `me-auto` keeps the
    page links beside it (the LTR sheet under dir=rtl pushes them over to the user menu)."""
    brand = page.locator(".navbar-brand").bounding_box()
    links = page.get_by_test_id("role-nav").bounding_box()
    menu = page.get_by_test_id("user-menu").bounding_box()
    assert brand and links and menu

    def gap(a: dict, b: dict) -> float:  # horizontal space between two boxes
        return max(a["x"] - (b["x"] + b["width"]), b["x"] - (a["x"] + a["width"]), 0)

    return brand["x"] > menu["x"], gap(links, brand) < gap(links, menu)


@pytest.mark.browser_context_args(locale="he-IL")
def test_a_hebrew_users_pages_read_right_to_left_until_they_switch_to_english(
    page: Page, sign_in, account_manager, own_account
):
    account_manager.language = Language.HEBREW
    account_manager.save(update_fields=["language"])
    sign_in(account_manager)

    page.goto("/")
    screenshot(page, "home-he")
    assert page.evaluate("document.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "he"
    assert stylesheets(page) == ["bootstrap.rtl.min.css"]
    navbar = page.get_by_test_id("role-nav")
    assert navbar.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert navbar_layout(page) == (True, True)
    expect(page.get_by_role("heading", name="הלקוחות שלי")).to_be_visible()

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", name="My accounts")).to_be_visible()
    page.wait_for_load_state("load")  # the heading can show before the stylesheet has loaded
    screenshot(page, "home-en-after-switch")
    assert page.evaluate("document.dir") == "ltr"
    assert stylesheets(page) == ["bootstrap.min.css"]
    assert navbar_layout(page) == (False, True)

    page.reload()
    expect(page.get_by_role("heading", name="My accounts")).to_be_visible()
    assert page.evaluate("document.dir") == "ltr"
    account_manager.refresh_from_db()
    assert account_manager.language == Language.ENGLISH
