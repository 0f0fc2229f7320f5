"""The account list's growth-plan filter, and the dashboard's plan figures: each count equals
the list it links to, for every role, on a portfolio with plans of every kind."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from accounts.models import Account
from accounts.selectors import account_list_visible_to
from demo.builder import demo_seed
from plans.enums import GoalKind, GoalState
from plans.models import Goal, GrowthPlan
from portfolio.filters import PortfolioFilters
from portfolio.selectors import portfolio_accounts
from segmentation.enums import Programme
from segmentation.models import NightlyRun, SegmentAssignment
from segmentation.pipeline import nightly_run_start
from tests.access.support import made_once
from tests.portfolio.test_dashboard import DASHBOARD, counted_links, list_count, signed_in
from tests.support import restore_question_template
from users.models import User

pytestmark = pytest.mark.django_db


def make_portfolio() -> None:
    """The demo portfolio after a nightly run; plans on every other programme account and on a
    few outside it, a third of them overdue for review, one goal behind."""
    restore_question_template()
    today = timezone.localdate()
    demo_seed(accounts=80, orders_per_account=12, seed=7, password="pw", end_date=today)
    run = nightly_run_start(as_of=today - dt.timedelta(days=1))
    admitted = SegmentAssignment.objects.filter(run=run, programme=Programme.ADMITTED)
    chosen = list(admitted.values_list("account_id", flat=True)[::2])
    chosen += list(
        Account.objects.exclude(pk__in=admitted.values("account_id")).values_list("pk", flat=True)[
            :5
        ]
    )
    for i, pk in enumerate(chosen):
        review = today - dt.timedelta(days=1) if i % 3 == 0 else today + dt.timedelta(days=30)
        plan = GrowthPlan.objects.create(account_id=pk, review_on=review)
        if i % 4 == 1:
            Goal.objects.create(
                plan=plan,
                kind=GoalKind.REVENUE,
                target=10**9,
                starts_on=today.replace(month=1, day=1),
                ends_on=today.replace(month=12, day=31),
                state=GoalState.BEHIND,
            )


@pytest.fixture(scope="module")
def portfolio(django_db_setup, django_db_blocker) -> Iterator[None]:
    yield from made_once(django_db_blocker, make_portfolio)


def listed(client, **query) -> set[str]:
    """The names on every page of the account list for `query`."""
    names: set[str] = set()
    page = 1
    while True:
        response = client.get("/accounts/", {**query, "page": page})
        names |= {a.name for a in response.context["page"].object_list}
        if not response.context["page"].has_next():
            return names
        page += 1


@pytest.mark.parametrize("username", ["admin", "manager", "am1"])
def test_the_plan_filter_selects_exactly_those_accounts(client, portfolio, username):
    user = signed_in(client, username)
    visible = account_list_visible_to(user=user)
    today = timezone.localdate()
    planned = visible.filter(growth_plan__isnull=False)
    expected = {
        "none": visible.filter(growth_plan__isnull=True),
        "has": planned,
        "review_overdue": planned.filter(growth_plan__review_on__lt=today),
        "goal_behind": visible.filter(growth_plan__goals__state=GoalState.BEHIND).distinct(),
    }
    for choice, accounts in expected.items():
        assert listed(client, plan=choice) == {a.name for a in accounts}, choice
    assert expected["review_overdue"].exists() or username == "am1"


@pytest.mark.parametrize("username", ["admin", "manager", "am1"])
def test_the_plan_figures_lead_to_lists_of_exactly_that_many(client, portfolio, username):
    signed_in(client, username)
    links = {what: (count, link) for what, count, link in counted_links(client.get(DASHBOARD).text)}
    assert {"figure without-plan", "figure review-overdue"} <= set(links)
    for what in ("figure without-plan", "figure review-overdue"):
        count, link = links[what]
        assert list_count(client, link) == count, what


def test_the_figures_count_what_the_rule_says(client, portfolio):
    user = signed_in(client, "admin")
    today = timezone.localdate()
    run = NightlyRun.objects.latest_complete()
    admitted = SegmentAssignment.objects.filter(run=run, programme=Programme.ADMITTED)
    without = admitted.exclude(account__growth_plan__isnull=False).count()
    overdue = GrowthPlan.objects.filter(review_on__lt=today).count()
    html = client.get(DASHBOARD).text
    assert f'data-testid="figure-without-plan" data-count="{without}"' in html
    assert f'data-testid="figure-review-overdue" data-count="{overdue}"' in html
    assert 0 < without < admitted.count() and overdue > 0
    filtered = PortfolioFilters(plan="review_overdue")
    assert portfolio_accounts(user=user, filters=filtered, today=today).count() == overdue


def test_an_unknown_plan_filter_is_named_and_ignored(client, portfolio):
    signed_in(client, "admin")
    response = client.get("/accounts/", {"plan": "someday"})
    assert response.status_code == 200
    assert any("Growth plan" in str(m) for m in response.context["messages"])
    assert response.context["page"].paginator.count == Account.objects.count()


def test_the_filters_narrow_the_plan_figures_too(client, portfolio):
    signed_in(client, "admin")
    am1 = User.objects.get(username="am1")
    html = client.get(DASHBOARD, {"owner": am1.pk}).text
    links = {what: (count, link) for what, count, link in counted_links(html)}
    count, link = links["figure without-plan"]
    assert f"owner={am1.pk}" in link and list_count(client, link) == count
