"""Order figures on data whose answer is known, and the trailing-year window's edges."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.figures import account_key_figures, portal_totals
from accounts.periods import Window
from accounts.rollup import account_months_refresh
from portfolio.filters import PortfolioFilters
from portfolio.selectors import account_list_with_figures
from tests.factories import AccountFactory, OrderFactory

AS_OF = dt.date(2026, 6, 30)


def test_the_trailing_year_excludes_its_first_day_and_includes_the_as_of_day():
    window = Window(as_of=AS_OF)
    assert (window.start, window.previous_start) == (dt.date(2025, 6, 30), dt.date(2024, 6, 30))


def order(account, day: dt.date, revenue: str, gross_profit: str | None = None):
    return OrderFactory(
        account=account,
        ordered_on=day,
        revenue=Decimal(revenue),
        gross_profit=None if gross_profit is None else Decimal(gross_profit),
    )


@pytest.fixture
def history(own_account):
    order(own_account, dt.date(2024, 6, 30), "1", "1")  # 2 years ago to the day: outside both
    order(own_account, dt.date(2024, 7, 1), "100", "10")  # year before
    order(own_account, dt.date(2025, 6, 30), "200", "20")  # last day of the year before
    order(own_account, dt.date(2025, 7, 1), "300", "30")  # first day of the trailing year
    order(own_account, AS_OF, "-50", None)  # a return on the as-of day
    order(own_account, dt.date(2026, 7, 1), "999", "99")  # after the as-of date: never counted
    return own_account


def test_key_figures_split_the_two_years_at_the_window_edges(history):
    figures = account_key_figures(account=history, window=Window(as_of=AS_OF))
    assert figures == {
        "revenue_12m": Decimal("250.00"),
        "revenue_prev_12m": Decimal("300.00"),
        "gross_profit_12m": Decimal("30.00"),
        "gross_profit_prev_12m": Decimal("30.00"),
        "orders_12m": 2,
        "first_order_on": dt.date(2024, 6, 30),
        "last_order_on": AS_OF,
        "revenue_change_pct": Decimal("-16.7"),  # 250 against 300
        "gross_profit_change_pct": 0,
    }


def test_key_figures_of_an_account_without_orders_are_zero(own_account):
    figures = account_key_figures(account=own_account, window=Window(as_of=AS_OF))
    assert figures["revenue_12m"] == Decimal("0") and figures["orders_12m"] == 0
    assert figures["first_order_on"] is None


def test_list_figures_match_the_key_figures(history, account_manager):
    [row] = account_list_with_figures(user=account_manager, window=Window(as_of=AS_OF))
    assert (row.orders_12m, row.revenue_12m, row.last_order_on) == (2, Decimal("250.00"), AS_OF)


def test_list_sorts_by_revenue_with_accounts_without_orders_as_zero(account_manager):
    big, small, none = (AccountFactory(owner=account_manager, name=n) for n in "ABC")
    order(big, AS_OF, "500")
    order(small, AS_OF, "5")
    rows = account_list_with_figures(
        user=account_manager, window=Window(as_of=AS_OF), sort="-revenue"
    )
    assert [a.name for a in rows] == ["A", "B", "C"]
    rows = account_list_with_figures(
        user=account_manager, window=Window(as_of=AS_OF), sort="revenue"
    )
    assert [a.name for a in rows] == ["C", "B", "A"]


def test_list_search_matches_name_part_or_exact_erp_id(account_manager):
    AccountFactory(owner=account_manager, name="Acme Steel", external_id="E-1")
    AccountFactory(owner=account_manager, name="Bolt Works", external_id="E-12")
    window = Window(as_of=AS_OF)

    def names(search: str) -> list[str]:
        rows = account_list_with_figures(
            user=account_manager, window=window, filters=PortfolioFilters(search=search)
        )
        return [a.name for a in rows]

    assert names("steel") == ["Acme Steel"]
    assert names("e-12") == ["Bolt Works"]
    assert names("E-1") == ["Acme Steel"]


def test_portal_totals_count_every_role_team_account_and_order(
    admin_user, account_manager, stranger, own_account, foreign_account
):
    order(own_account, AS_OF, "1")
    order(foreign_account, AS_OF, "2")
    account_months_refresh()  # orders count from the monthly rollup
    totals = portal_totals(user=admin_user)
    by_role = dict(totals["users_by_role"])
    assert [by_role[k] for k in ("Admin", "Sales manager", "Account manager")] == [1, 2, 2]
    assert (totals["teams"], totals["accounts"], totals["orders"]) == (2, 2, 2)
