"""The home page per role: the right accounts, nothing foreign, a bounded number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.rollup import account_months_refresh
from assessments.selectors import assessments_overdue_count
from demo.builder import demo_seed
from segmentation.pipeline import nightly_run_start
from tests.factories import AccountFactory, AccountManagerFactory, OrderFactory, TeamFactory
from tests.querycount import PAGE_QUERY_CEILING, assert_queries_do_not_grow
from tests.support import restore_question_template
from users.models import User

pytestmark = pytest.mark.django_db


def page(client, user, url="/"):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def names(response) -> set[str]:
    return {a.name for a in response.context["page"].object_list}


class TestAccountManagerHome:
    def test_it_lists_own_and_account_team_accounts_only(
        self, client, account_manager, own_account, foreign_account, teammate
    ):
        AccountFactory(owner=teammate, name="Mate Ltd")
        worked = AccountFactory(name="Worked Ltd")
        worked.team_members.add(account_manager)
        response = page(client, account_manager)
        assert names(response) == {"Own Ltd", "Worked Ltd"}
        html = response.content.decode()
        assert "Foreign Ltd" not in html and "Mate Ltd" not in html

    def test_it_shows_the_trailing_year_figures(self, client, account_manager, own_account):
        today = timezone.localdate()
        OrderFactory(account=own_account, ordered_on=today, revenue=Decimal("1234.00"))
        OrderFactory(account=own_account, ordered_on=today - dt.timedelta(days=400))
        [row] = page(client, account_manager).context["page"].object_list
        assert (row.orders_12m, row.revenue_12m, row.last_order_on) == (1, Decimal("1234"), today)

    def test_it_paginates(self, client, account_manager):
        AccountFactory.create_batch(30, owner=account_manager)
        response = page(client, account_manager)
        assert len(response.context["page"].object_list) == 25
        assert len(page(client, account_manager, "/?page=2").context["page"].object_list) == 5


def test_sales_manager_home_lists_their_account_managers_with_a_filtered_link(
    client, sales_manager, account_manager, teammate, own_account, foreign_account, stranger
):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    OrderFactory(account=own_account, ordered_on=yesterday, revenue=Decimal("500"))
    nightly_run_start(as_of=yesterday)
    response = page(client, sales_manager)
    rows = {r.owner.username: (r.accounts, r.revenue_12m) for r in response.context["table"].rows}
    assert rows == {"am1": (1, Decimal("500")), "am2": (0, Decimal("0"))}
    html = response.content.decode()
    assert f"{reverse('accounts:list')}?owner={account_manager.pk}" in html
    assert "am3" not in html and "Foreign Ltd" not in html


def test_sales_manager_home_says_revenue_waits_for_the_first_nightly_run(
    client, sales_manager, own_account
):
    OrderFactory(account=own_account, ordered_on=timezone.localdate(), revenue=Decimal("500"))
    response = page(client, sales_manager)
    assert response.context["table"].as_of is None
    assert "Revenue appears after the first nightly run." in response.content.decode()


def test_admin_home_shows_totals_and_links(client, admin_user, own_account, foreign_account):
    OrderFactory(account=own_account)
    account_months_refresh()  # as every path that writes orders does
    response = page(client, admin_user)
    totals = response.context["totals"]
    assert (totals["accounts"], totals["orders"], totals["teams"]) == (2, 1, 2)
    html = response.content.decode()
    assert reverse("people:teams") in html and reverse("accounts:list") in html
    assert reverse("people:list") in html and reverse("risk:settings") in html


def add_portfolio(sales_manager, account_manager, teammate, *, per_owner: int) -> None:
    """Accounts with orders across two teams of the same sales manager, some worked by am1."""
    second = AccountManagerFactory(team=TeamFactory(manager=sales_manager))
    today = timezone.localdate()
    for owner in (account_manager, teammate, second):
        for account in AccountFactory.create_batch(per_owner, owner=owner):
            OrderFactory.create_batch(2, account=account, ordered_on=today)
            account.team_members.add(account_manager)


@pytest.mark.parametrize("who", ["account_manager", "sales_manager", "admin_user"])
def test_home_queries_do_not_grow_with_the_portfolio(
    client, request, who, sales_manager, account_manager, teammate, django_assert_max_num_queries
):
    people = (sales_manager, account_manager, teammate)
    add_portfolio(*people, per_owner=2)
    client.force_login(request.getfixturevalue(who))
    assert_queries_do_not_grow(client, "/", add_data=lambda: add_portfolio(*people, per_owner=30))
    with django_assert_max_num_queries(PAGE_QUERY_CEILING):
        client.get("/")


def test_the_home_panels_follow_a_reassignment_and_a_new_run_at_once(client):
    """The panels are cached per reader, run and version of the data: a reassignment (a new
    version) and a new run (a new key) must show on the next request."""
    restore_question_template()
    today = timezone.localdate()
    demo_seed(accounts=60, orders_per_account=12, seed=12, password="pw", end_date=today)
    nightly_run_start(as_of=today - dt.timedelta(days=2))
    am1, am2 = (User.objects.get(username=n) for n in ("am1", "am2"))
    before = page(client, am1).context
    summary, overdue_total = before["summary"], before["overdue_total"]
    assert summary.rows and before["overdue"], "the demo gives am1 both panels"
    at_risk, late = summary.rows[0].account, before["overdue"][0].account
    for account in {at_risk, late}:
        account.owner = am2
        account.save()
    after = page(client, am1).context
    assert at_risk.pk not in {s.account_id for s in after["summary"].rows}
    assert after["summary"].high + after["summary"].medium == summary.high + summary.medium - 1
    fresh = assessments_overdue_count(user=am1, today=today)
    assert after["overdue_total"] == fresh < overdue_total
    nightly_run_start(as_of=today - dt.timedelta(days=1))
    assert page(client, am1).context["summary"].as_of == today - dt.timedelta(days=1)
