"""Issue 9's walk through `make run`'s demo, in a real browser: a sales manager filters the
dashboard, follows its figures to the account list (the counts agree), opens an account and
reassigns it; an admin adds a person and deactivates another. Every page is checked for what
a reader would notice (walk.check): console errors, English on a Hebrew page, long decimals.

The English admin walk is test_manager_controls.py's; here it runs in Hebrew on the demo."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Response, expect

from accounts.models import Account
from portfolio.filters import AT_STAKE, PortfolioFilters
from portfolio.selectors import portfolio_accounts
from segmentation.enums import Segment
from tests.e2e.demo_portfolio import DemoPortfolio
from tests.e2e.walk import check, speaking, visit
from users.models import Language, Team, User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASON = {Language.ENGLISH: "Holiday cover", Language.HEBREW: "כיסוי לחופשה"}


def busiest_segment(*, manager: User, owner: User) -> str:
    """The segment holding most of `owner`'s accounts at high or medium risk, so that the
    filtered dashboard still has accounts behind its figures."""

    def count(segment: str) -> int:
        filters = PortfolioFilters(owner=owner, segment=segment, risk=AT_STAKE)
        return portfolio_accounts(user=manager, filters=filters, today=timezone.localdate()).count()

    return max(Segment.values, key=count)


def is_htmx(response: Response) -> bool:
    return response.request.headers.get("hx-request") == "true"


def filter_dashboard(page: Page, language: str, **chosen: str | int) -> None:
    """Choose each filter in turn: htmx refreshes the body, and the URL keeps the choice."""
    filters = page.get_by_test_id("dashboard-filters")
    for name, value in chosen.items():
        with page.expect_response(
            lambda r, name=name: (
                f"{name}=" in r.url and r.request.headers.get("hx-request") == "true"
            )
        ):
            filters.locator(f"select[name={name}]").select_option(str(value))
        expect(page).to_have_url(re.compile(rf"[?&]{name}={re.escape(str(value))}(&|$)"))
        check(page, language)


def figure_counts(page: Page) -> list[tuple[str, int, str | None]]:
    """(what, count, link) of every figure with a count, and of every row of the churn-risk
    chart's table (its count cell links to the accounts behind it); no link where no account
    can be behind the count."""
    found: list[tuple[str, int, str | None]] = []
    for figure in page.locator("#dashboard-body [data-testid^=figure-][data-count]").all():
        what, count = figure.get_attribute("data-testid") or "", figure.get_attribute("data-count")
        found.append((what, int(count or ""), figure.get_attribute("href")))
    # The table is in a closed <details>: text_content, not inner_text (which is what shows).
    for row in page.get_by_test_id("chart-risk-levels").locator("tbody tr").all():
        level, count = row.locator("td").nth(0), row.locator("td").nth(1)
        link = count.locator("a").get_attribute("href") if count.locator("a").count() else None
        found.append((f"risk chart: {level.text_content()}", int(count.text_content() or ""), link))
    return found


def list_count(page: Page) -> int:
    return int(page.get_by_test_id("account-count").get_attribute("data-count") or "")


@pytest.mark.parametrize("language", [Language.ENGLISH, Language.HEBREW])
def test_a_sales_manager_filters_the_dashboard_follows_its_figures_and_reassigns(
    page: Page, problems, sign_in, demo_portfolio: DemoPortfolio, language
):
    demo = demo_portfolio
    sign_in(speaking(demo.manager, language))
    visit(page, "/dashboard/", language)
    page.evaluate("window.e2eSameDocument = true")  # a full page load would wipe it

    segment = busiest_segment(manager=demo.manager, owner=demo.am1)
    team = Team.objects.get(name="North")
    chosen = {"team": team.pk, "owner": demo.am1.pk, "segment": segment, "risk": AT_STAKE}
    filter_dashboard(page, language, **chosen)
    assert page.evaluate("window.e2eSameDocument") is True

    page.reload()  # the URL is the view: bookmarked, it opens filtered the same way
    for name, value in chosen.items():
        expect(page.locator(f"#id_{name}")).to_have_value(str(value))
    figures = figure_counts(page)
    at_stake = next(count for what, count, _link in figures if what == "figure-at-stake")
    assert at_stake > 0, figures

    page.get_by_test_id("figure-at-stake").click()
    expect(page).to_have_url(re.compile(r"/accounts/\?.*risk=at_stake"))
    check(page, language)
    assert list_count(page) == at_stake
    at_stake_list = page.url
    for what, count, link in figures:
        if link is None:
            assert count == 0, f"{what}: {count} accounts, and no link to them"
            continue
        visit(page, link, language)
        assert list_count(page) == count, f"{what}: the figure says {count}, the list differs"

    page.goto(at_stake_list)
    row = page.get_by_test_id("account-table").locator("tbody tr[data-account-id]").first
    account = Account.objects.get(pk=row.get_attribute("data-account-id"))
    with page.expect_navigation():
        row.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/accounts/{account.pk}/$"))
    check(page, language)

    form = page.get_by_test_id("reassign-form")
    form.locator("select[name=to]").select_option(str(demo.am2.pk))
    form.locator("input[name=reason]").fill(REASON[language])
    with page.expect_navigation():
        form.get_by_role("button").click()
    expect(page.get_by_role("alert")).to_be_visible()
    history = page.get_by_test_id("change-history")
    expect(history).to_contain_text(REASON[language])
    expect(history).to_contain_text(str(demo.am2))
    check(page, language)
    account.refresh_from_db()
    assert account.owner == demo.am2
    assert problems == []


def test_in_hebrew_the_admin_adds_a_person_and_deactivates_another(
    page: Page, problems, sign_in, demo_portfolio: DemoPortfolio
):
    he = Language.HEBREW
    sign_in(speaking(demo_portfolio.admin, he))
    visit(page, "/people/", he)
    with page.expect_navigation():
        page.get_by_test_id("person-create").click()
    expect(page).to_have_url(re.compile(r"/people/new/$"))
    check(page, he)

    form = page.get_by_test_id("person-form")
    form.locator("input[name=username]").fill("noa")
    form.locator("input[name=first_name]").fill("נועה")
    form.locator("input[name=last_name]").fill("פרץ")
    form.locator("input[name=email]").fill("noa@example.com")
    form.locator("select[name=team]").select_option(label="North")
    form.locator("select[name=language]").select_option(he)
    with page.expect_navigation():
        form.get_by_role("button", name="הוספה").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("נועה פרץ")
    check(page, he)

    visit(page, f"/people/{demo_portfolio.am3.pk}/", he)
    with page.expect_navigation():
        page.get_by_test_id("deactivate").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, he)
    assert not User.objects.get(pk=demo_portfolio.am3.pk).is_active
    assert User.objects.get(username="noa").team.name == "North"
    assert problems == []
