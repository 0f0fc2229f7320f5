"""The sales manager's table per account manager: counts of today's visible accounts, revenue
as the latest complete nightly run measured it."""

import datetime as dt
from decimal import Decimal

import pytest

from portfolio.owners import portfolio_by_owner
from segmentation.pipeline import nightly_run_start
from tests.factories import AccountFactory, AccountManagerFactory, OrderFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)


def order(account, day: dt.date, revenue: str) -> None:
    OrderFactory(account=account, ordered_on=day, revenue=Decimal(revenue))


def test_it_counts_accounts_and_the_runs_revenue_per_account_manager(
    sales_manager, account_manager, teammate, own_account, foreign_account
):
    order(own_account, AS_OF, "70")
    order(own_account, dt.date(2025, 6, 30), "5")  # a year before the as-of day: outside
    order(foreign_account, AS_OF, "900")  # another team's: must not show
    idle = AccountManagerFactory(username="idle", team=account_manager.team)
    nightly_run_start(as_of=AS_OF)
    order(own_account, AS_OF + dt.timedelta(days=1), "1000")  # after the run: not yet counted
    table = portfolio_by_owner(user=sales_manager)
    rows = {r.owner.username: r for r in table.rows}
    assert table.as_of == AS_OF
    assert set(rows) == {"am1", "am2", "idle"}
    assert (rows["am1"].accounts, rows["am1"].revenue_12m) == (1, Decimal("70.00"))
    assert (rows["am2"].accounts, rows["am2"].revenue_12m) == (0, Decimal("0"))
    assert rows["idle"].accounts == 0 and idle.team.manager == sales_manager
    assert (table.total_accounts, table.total_revenue_12m) == (1, Decimal("70.00"))


def test_an_account_counts_for_its_owner_today_and_one_newer_than_the_run_has_no_revenue(
    sales_manager, account_manager, teammate, own_account
):
    order(own_account, AS_OF, "70")
    nightly_run_start(as_of=AS_OF)
    own_account.owner = teammate  # reassigned after the run
    own_account.save()
    newcomer = AccountFactory(owner=account_manager)
    order(newcomer, AS_OF, "30")
    rows = {r.owner.username: r for r in portfolio_by_owner(user=sales_manager).rows}
    assert (rows["am2"].accounts, rows["am2"].revenue_12m) == (1, Decimal("70.00"))
    assert (rows["am1"].accounts, rows["am1"].revenue_12m) == (1, Decimal("0"))


def test_before_the_first_run_it_counts_accounts_and_has_no_as_of_date(sales_manager, own_account):
    order(own_account, AS_OF, "70")
    table = portfolio_by_owner(user=sales_manager)
    assert table.as_of is None
    assert [(r.owner.username, r.accounts, r.revenue_12m) for r in table.rows][0] == (
        "am1",
        1,
        Decimal("0"),
    )


def test_the_sales_manager_s_table_follows_a_reassignment_and_a_new_run_at_once(
    client, sales_manager, account_manager, teammate, own_account
):
    """The table is cached per reader, run and version of the data."""
    order(own_account, AS_OF, "70")
    nightly_run_start(as_of=AS_OF)
    client.force_login(sales_manager)

    def rows() -> dict[str, tuple[int, Decimal]]:
        table = client.get("/").context["table"]
        return {r.owner.username: (r.accounts, r.revenue_12m) for r in table.rows if r.owner}

    assert rows()["am1"] == (1, Decimal("70"))
    data = {"accounts": [own_account.pk], "to": teammate.pk, "reason": "Leaving", "next": "/"}
    assert client.post("/accounts/reassign/", data).status_code == 302
    assert rows()["am1"] == (0, Decimal("0")) and rows()["am2"] == (1, Decimal("70"))
    order(own_account, AS_OF + dt.timedelta(days=1), "30")
    nightly_run_start(as_of=AS_OF + dt.timedelta(days=1))
    assert rows()["am2"] == (1, Decimal("100"))
