"""End-to-end tests in Debian's Chromium, driven by Playwright against pytest-django's live server.

The browser is the system one (/usr/bin/chromium): `playwright install` cannot download here.
Under CI=true a missing browser fails the run; elsewhere the e2e tests are skipped with a reason.
"""

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response

from accounts.models import Account
from assessments.models import Assessment
from assessments.rules import AnswerValues
from assessments.services import assessment_save, assessment_start
from tests.e2e.demo_portfolio import DemoPortfolio, seed_demo_portfolio
from tests.factories import AccountFactory, OrderFactory
from tests.support import restore_question_template
from users.models import User

# Playwright's sync API keeps an event loop running in the test thread, so Django would refuse
# ORM calls from the test body (SynchronousOnlyOperation). Tests only: never set in settings.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A page of this portal answers in well under a second; fail fast instead of after 30 s.
TIMEOUT_MS = 10_000
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS", "")  # a directory: save one picture per page


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium; every browser test depends on this fixture."""
    if not CHROMIUM.is_file():
        reason = f"No Chromium at {CHROMIUM}: run scripts/ensure-system-packages.sh as root."
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: a missing browser is a failure.)", pytrace=False)
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative URLs in page.goto() go to the live server. (Also replaces pytest-playwright's
    own base_url fixture, which pytest 9 warns about.)"""
    return live_server.url


@pytest.fixture
def context(context: BrowserContext) -> BrowserContext:
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def sign_in(context: BrowserContext, live_server) -> Callable[[User], None]:
    """Give the browser a session cookie for `user`, as force_login does for the test client."""

    def _sign_in(user: User) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return _sign_in


@pytest.fixture
def problems(page: Page) -> Iterator[list[str]]:
    """What a user (or their browser console) would see go wrong while the test browses:
    console errors, uncaught script errors, failed requests and static files answering >= 400."""
    found: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            found.append(f"console error on {page.url}: {message.text}")

    def on_failed(request: Request) -> None:
        found.append(f"request failed: {request.url} ({request.failure})")

    def on_response(response: Response) -> None:
        if response.status >= 400 and settings.STATIC_URL in response.url:
            found.append(f"static file {response.url} answered {response.status}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(f"script error on {page.url}: {error}"))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    yield found


def screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    """With E2E_SCREENSHOTS=<dir>, keep a picture to look at: the whole page, or what the
    window shows (`full_page=False`: the documentation's, of a fixed size)."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=full_page)


def _submit_assessment(*, account: Account, by: User, scale: int, days_ago: int) -> Assessment:
    """A submitted assessment answering every scale question with `scale`, dated days ago."""
    assessment = assessment_start(account=account, by=by)
    answers = {
        q.pk: AnswerValues(scale=scale)
        for q in assessment.template_version.questions.all()
        if q.is_scale
    }
    assessment = assessment_save(
        assessment=assessment,
        answers=answers,
        expected_lock_version=assessment.lock_version,
        by=by,
        submit=True,
    )
    submitted = timezone.now() - dt.timedelta(days=days_ago)
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=submitted)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def account_at_risk(account_manager: User) -> Account:
    """An account manager's weekly buyer, silent for 60 days before the nightly run (so the
    run flags it overdue), with two submitted relationship assessments (so a trend is drawn)."""
    restore_question_template()
    as_of = timezone.localdate() - dt.timedelta(days=1)
    account = AccountFactory(owner=account_manager, name="Quiet Buyer Ltd")
    last = as_of - dt.timedelta(days=60)
    for week in range(20):
        OrderFactory(account=account, ordered_on=last - dt.timedelta(weeks=week))
    call_command("run_nightly", as_of=as_of.isoformat(), verbosity=0)
    _submit_assessment(account=account, by=account_manager, scale=4, days_ago=120)
    _submit_assessment(account=account, by=account_manager, scale=2, days_ago=10)
    return account


@pytest.fixture
def demo_portfolio(transactional_db) -> DemoPortfolio:
    """`make run`'s demo (seed_demo, nightly runs, a growth plan), small (demo_portfolio.py)."""
    return seed_demo_portfolio()
