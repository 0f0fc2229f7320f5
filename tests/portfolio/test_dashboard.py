"""The portfolio dashboard: figures over exactly the accounts a user may see, each figure and bar
leading to an account list whose count equals it, filters in the URL, htmx fragments, and a
bounded number of queries whatever the portfolio's size."""

import datetime as dt
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from accounts.selectors import account_list_visible_to
from demo.builder import demo_seed
from segmentation.models import NightlyRun, RiskSnapshot
from segmentation.pipeline import nightly_run_start
from tests.access.support import made_once
from tests.factories import AccountFactory, OrderFactory
from tests.querycount import queries_for
from tests.support import restore_question_template
from users.models import User

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


def make_portfolio() -> None:
    restore_question_template()
    today = timezone.localdate()
    demo_seed(accounts=80, orders_per_account=12, seed=5, password="pw", end_date=today)
    nightly_run_start(as_of=today - dt.timedelta(days=1))


@pytest.fixture(scope="module")
def portfolio(django_db_setup, django_db_blocker) -> Iterator[None]:
    yield from made_once(django_db_blocker, make_portfolio)


def signed_in(client, username: str) -> User:
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def list_count(client, url: str) -> int:
    """What the account list says it shows for `url`."""
    html = client.get(url).text
    match = re.search(r'data-testid="account-count" data-count="(\d+)"', html)
    assert match, f"no count on {url}"
    return int(match.group(1))


def counted_links(html: str) -> list[tuple[str, int, str]]:
    """Every (what, count, link) the dashboard shows: headline counts and chart bars."""
    figures = re.findall(r'href="([^"]+)" data-testid="figure-([\w-]+)" data-count="(\d+)"', html)
    found = [(f"figure {k}", int(n), link.replace("&amp;", "&")) for link, k, n in figures]
    charts = re.findall(
        r'<script id="chart-([\w-]+)-data" type="application/json">(.*?)</script>', html
    )
    for key, body in charts:
        for dataset in json.loads(body)["datasets"]:
            for i, link in enumerate(dataset.get("links", [])):
                found.append((f"{key} {dataset['label']} {i}", int(dataset["data"][i]), link))
    return found


@pytest.mark.parametrize("username", ["admin", "manager", "am1"])
def test_every_count_leads_to_a_list_of_exactly_that_many_accounts(client, portfolio, username):
    signed_in(client, username)
    html = client.get(DASHBOARD).text
    links = counted_links(html)
    keys = {" ".join(what.split()[:2]) for what, _count, _link in links}
    assert {"figure accounts", "figure at-stake", "figure overdue"} <= keys
    assert any(what.startswith("risk-levels") for what, _c, _l in links)
    for what, count, link in links:
        assert list_count(client, link) == count, f"{what}: {link}"


@pytest.mark.parametrize("username", ["admin", "manager", "manager2", "am1", "am3"])
def test_the_figures_cover_exactly_the_visible_accounts(client, portfolio, username):
    user = signed_in(client, username)
    visible = account_list_visible_to(user=user)
    run = NightlyRun.objects.latest_complete()
    snapshots = RiskSnapshot.objects.filter(run=run, account__in=visible)
    html = client.get(DASHBOARD).text
    assert 'data-testid="figure-accounts"' in html
    assert re.search(rf'data-value="{visible.count()}"', html)
    revenue = sum((s.revenue_12m for s in snapshots), Decimal(0))
    assert re.search(rf'data-value="{revenue}"', html), "revenue, 12 months"
    at_stake = snapshots.filter(level__in=["high", "medium"]).count()
    assert f'data-count="{at_stake}"' in html
    # Expected loss beside gross profit at stake: every visible snapshot's, summed.
    loss = sum((s.expected_loss for s in snapshots), Decimal(0))
    assert loss > 0
    assert re.search(rf'data-testid="figure-expected-loss".*?data-value="{loss}"', html, re.S)


def test_filters_live_in_the_url_and_narrow_every_figure(client, portfolio):
    signed_in(client, "admin")
    am1 = User.objects.get(username="am1")
    html = client.get(DASHBOARD, {"owner": am1.pk, "segment": "defend"}).text
    expected = Account.objects.filter(owner=am1, segment_assignments__segment="defend").count()
    assert re.search(rf'data-testid="figure-accounts".*?data-value="{expected}"', html, re.S)
    # The figure's link keeps the filters: the list it opens is the same selection.
    link = re.search(r'href="([^"]+)" data-testid="figure-accounts"', html).group(1)
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert query == {"owner": [str(am1.pk)], "segment": ["defend"]}


def test_an_htmx_request_gets_the_body_only(client, portfolio):
    signed_in(client, "manager")
    response = client.get(DASHBOARD, {"segment": "grow"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="dashboard-body"') or (
        'id="dashboard-body"' in response.text and "<html" not in response.text
    )


def test_a_sales_manager_sees_no_account_of_another_team(client, portfolio):
    manager = signed_in(client, "manager")
    foreign = Account.objects.exclude(pk__in=account_list_visible_to(user=manager)).first()
    html = client.get(DASHBOARD).text
    assert foreign.name not in html
    # Not a choice for this manager: the filter is dropped (and named in a message), so the
    # page still counts the manager's own accounts, none of the foreign owner's.
    owner_filter = client.get(DASHBOARD, {"owner": foreign.owner.pk}).text
    visible = account_list_visible_to(user=manager).count()
    assert f'data-testid="figure-accounts" data-count="{visible}"' in owner_filter


def test_the_page_is_in_hebrew_and_right_to_left(client, portfolio):
    user = signed_in(client, "am1")
    user.language = "he"
    user.save(update_fields=["language"])
    html = client.get(DASHBOARD).text
    assert 'dir="rtl"' in html and "לוח" in html


def test_queries_do_not_grow_with_the_portfolio(client, portfolio):
    signed_in(client, "admin")
    before = queries_for(client, DASHBOARD)
    am1 = User.objects.get(username="am1")
    for _ in range(30):
        account = AccountFactory(owner=am1)
        OrderFactory(account=account, ordered_on=timezone.localdate())
    nightly_run_start(as_of=timezone.localdate())
    after = queries_for(client, DASHBOARD)
    assert after == before and after <= 30, (before, after)


def test_the_navigation_links_the_dashboard_for_every_role(client, portfolio):
    for username in ("admin", "manager", "am1"):
        signed_in(client, username)
        assert 'data-testid="nav-dashboard"' in client.get(reverse("home")).text


def test_each_chart_has_its_title_and_its_numbers_as_a_table(client, portfolio):
    signed_in(client, "admin")
    html = client.get(DASHBOARD).text
    for title in (
        "Revenue by month and segment",
        "Gross profit by month and segment",
        "Accounts by churn risk",
        "Segment mix per account manager",
        "Assessment coverage per account manager",
        "High-risk accounts per nightly run",
    ):
        assert f">{title}</h2>" in html, title
    assert html.count("<details") == 6 and html.count('role="img"') == 6


@pytest.mark.parametrize("username", ["admin", "manager", "am1"])
def test_the_home_pages_counts_lead_to_lists_of_exactly_that_many_accounts(
    client, portfolio, username
):
    """Issue 9: "10 of 39 shown" led nowhere, and neither did the medium-risk count."""
    signed_in(client, username)
    html = client.get(reverse("home")).text
    counts = re.findall(r'href="([^"]+)" data-testid="home-count" data-count="(\d+)"', html)
    links = {link.replace("&amp;", "&"): int(n) for link, n in counts}
    assert any("risk=medium" in link for link in links), links
    if username != "admin":  # the admin's home has no assessments panel
        assert any("coverage=overdue" in link for link in links), links
    for link, count in links.items():
        assert list_count(client, link) == count, link


@pytest.mark.parametrize("risk", ["high", "medium", "low", "at_stake"])
def test_under_a_risk_filter_every_count_still_leads_to_exactly_its_accounts(
    client, portfolio, risk
):
    """Found in the browser: under "High or medium" the churn-risk chart's "Low" bar counted 0
    and linked to the owner's low-risk accounts, and under "High" the gross profit at stake
    (high only) linked to high and medium. A link narrows the filter, never replaces it."""
    signed_in(client, "manager")
    html = client.get(DASHBOARD, {"risk": risk}).text
    links = counted_links(html)
    assert any(what == "figure at-stake" for what, _c, _l in links) == (risk != "low")
    for what, count, link in links:
        if link is None:  # no account can be at that level under this filter
            assert count == 0, what
        else:
            assert list_count(client, link) == count, f"{what}: {link}"
    unlinked = [what for what, _count, link in links if link is None]
    assert len(unlinked) == {"high": 2, "medium": 2, "low": 2, "at_stake": 1}[risk], unlinked
    if risk == "low":  # nothing at stake under "low": the figure is shown, but not as a link
        assert '<div class="card h-100" data-testid="figure-at-stake" data-count="0">' in html
