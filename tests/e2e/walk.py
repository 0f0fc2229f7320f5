"""Steps shared by the walks through the demo portfolio: open a page and check what a reader
sees on it (tests/e2e/page_text.py)."""

from playwright.sync_api import Page, expect

from tests.e2e.page_text import page_defects
from users.models import User


def speaking(user: User, language: str) -> User:
    """`user`, set to read the pages in `language`."""
    user.language = language
    user.save(update_fields=["language"])
    return user


def check(page: Page, language: str) -> None:
    """The page is in `language` and shows no display defect: no English the portal wrote on a
    Hebrew page, no number with more than two decimals."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    defects = page_defects(page, language=language)
    assert not defects, "\n".join(defects)  # (no assertion rewriting outside test modules)


def visit(page: Page, path: str, language: str) -> None:
    """Open `path` as the signed-in user: it answers 200, then `check`."""
    response = page.goto(path)  # "load": scripts have run (charts drawn, no animation)
    assert response is not None and response.status == 200, f"{path}: {response}"
    check(page, language)
