"""The account list's pages come from an order computed once per reader, filters, sort, day, run
and version of the data (portfolio.list_pages): the pages must equal the live query's, the next
page must not sum the orders again, and every change a user makes must show on the next page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Account
from accounts.periods import Window
from accounts.rollup import account_months_refresh
from assessments.rules import AnswerValues
from assessments.services import assessment_save, assessment_start
from portfolio.filters import PortfolioFilters
from portfolio.list_pages import account_list_page
from portfolio.selectors import SORTS, account_list_with_figures
from tests.factories import AccountFactory, OrderFactory
from tests.support import restore_question_template

pytestmark = pytest.mark.django_db

BULK_URL = "/accounts/reassign/"


@pytest.fixture
def window() -> Window:
    return Window(as_of=timezone.localdate())


@pytest.fixture
def portfolio(account_manager, window):
    """Seven accounts with revenues 100, 200, ... in the last year, in no order of name."""
    accounts = []
    for i, amount in enumerate([300, 100, 700, 200, 600, 400, 500]):
        account = AccountFactory(owner=account_manager, name=f"Account {i}")
        OrderFactory(account=account, ordered_on=window.as_of, revenue=Decimal(amount))
        accounts.append(account)
    return accounts


def listed(client, user, query: str) -> list[str]:
    client.force_login(user)
    response = client.get(f"/accounts/?{query}")
    assert response.status_code == 200
    return [account.name for account in response.context["page"].object_list]


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_every_page_is_the_live_query_s_slice(account_manager, portfolio, window, sort):
    live = list(account_list_with_figures(user=account_manager, window=window, sort=sort))
    pages = [
        account_list_page(
            user=account_manager,
            window=window,
            filters=PortfolioFilters(),
            sort=sort,
            number=number,
            per_page=3,
        )
        for number in (1, 2, 3)
    ]
    assert [a.pk for page in pages for a in page.object_list] == [a.pk for a in live]
    assert [a.revenue_12m for a in pages[0].object_list] == [a.revenue_12m for a in live[:3]]
    assert pages[0].paginator.count == 7 and pages[2].end_index() == 7


def test_the_next_page_reads_only_its_own_rows(client, account_manager, portfolio):
    assert listed(client, account_manager, "sort=-revenue")[:2] == ["Account 2", "Account 4"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accounts/?sort=-revenue&page=2")
    rows = ", ".join(str(a.pk) for a in response.context["page"].object_list)
    summing = [q["sql"] for q in queries if '"accounts_order"' in q["sql"]]
    assert summing, "the page's rows come with their order figures"
    assert all(f'"accounts_account"."id" IN ({rows})' in sql for sql in summing), summing


def test_new_orders_reorder_the_next_page(client, account_manager, portfolio, window):
    assert listed(client, account_manager, "sort=-revenue")[0] == "Account 2"
    OrderFactory(account=portfolio[1], ordered_on=window.as_of, revenue=Decimal(5000))
    account_months_refresh(account_ids=[portfolio[1].pk])  # as every path that writes orders
    assert listed(client, account_manager, "sort=-revenue")[0] == "Account 1"


def test_a_bulk_reassignment_shows_on_the_old_owner_s_next_page(
    client, sales_manager, account_manager, teammate, portfolio
):
    assert len(listed(client, account_manager, "sort=-revenue")) == 7
    assert listed(client, teammate, "sort=-revenue") == []
    client.force_login(sales_manager)
    data = {"accounts": [portfolio[2].pk], "to": teammate.pk, "reason": "Leaving", "next": "/"}
    assert client.post(BULK_URL, data).status_code == 302
    client.force_login(account_manager)
    page = client.get("/accounts/?sort=-revenue").context["page"]
    assert page.paginator.count == 6 and "Account 2" not in {a.name for a in page.object_list}
    assert listed(client, teammate, "sort=-revenue") == ["Account 2"]


def test_a_submitted_assessment_shows_under_the_scored_filter_at_once(
    client, account_manager, portfolio
):
    restore_question_template()
    assessment = assessment_start(account=portfolio[0], by=account_manager)
    assert listed(client, account_manager, "coverage=scored") == []
    questions = assessment.template_version.questions.filter(number__in=(3, 4, 5, 6, 7, 8, 10))
    assessment_save(
        assessment=assessment,
        answers={q.pk: AnswerValues(scale=4) for q in questions},
        expected_lock_version=assessment.lock_version,
        by=account_manager,
        submit=True,
    )
    assert listed(client, account_manager, "coverage=scored") == ["Account 0"]


def test_a_cached_order_never_shows_an_account_the_rule_no_longer_allows(
    client, account_manager, stranger, portfolio
):
    """A write that skipped the version (a raw update) cannot widen what a reader sees: the
    page's rows are read through the visibility rule again."""
    assert len(listed(client, account_manager, "sort=name")) == 7
    Account.objects.filter(pk=portfolio[0].pk).update(owner=stranger)
    assert "Account 0" not in listed(client, account_manager, "sort=name")


def test_another_day_computes_the_order_again(account_manager, portfolio, window):
    """The trailing year moves with the day: tomorrow's list is not today's."""
    today = account_list_page(
        user=account_manager, window=window, filters=PortfolioFilters(), sort="-revenue",
        number=1, per_page=10,
    )  # fmt: skip
    later = Window(as_of=window.as_of + dt.timedelta(days=400))
    gone = account_list_page(
        user=account_manager, window=later, filters=PortfolioFilters(), sort="-revenue",
        number=1, per_page=10,
    )  # fmt: skip
    assert today.object_list[0].revenue_12m == Decimal(700)
    assert {a.revenue_12m for a in gone.object_list} == {Decimal(0)}
    assert [a.name for a in gone.object_list] == sorted(a.name for a in portfolio)


def test_a_search_text_never_reads_as_another_filter(account_manager):
    """Each filter keeps its own place in the key: searching "a|" in industry "c" is not
    searching "a" in industry "|c" (both read "a|||||c" joined with "|")."""
    one = PortfolioFilters(search="a|", industry="c")
    other = PortfolioFilters(search="a", industry="|c")
    assert one.cache_key() != other.cache_key()
    assert one.cache_key() == PortfolioFilters(search="a|", industry="c").cache_key()
