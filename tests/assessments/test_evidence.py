import datetime as dt
from decimal import Decimal

import pytest

from assessments.evidence import order_evidence, strategic_account_count
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)
D = Decimal


def order(account, day, revenue, profit):
    OrderFactory(account=account, ordered_on=day, revenue=D(revenue), gross_profit=profit)


def test_revenue_and_profit_by_period_in_one_query(
    own_account, foreign_account, django_assert_num_queries
):
    order(own_account, dt.date(2018, 3, 1), 500, D(50))  # before 5 years: only "since first"
    order(own_account, dt.date(2023, 1, 1), 300, D(30))  # within 5 years
    order(own_account, dt.date(2024, 7, 1), 200, D(20))  # the year before last
    order(own_account, dt.date(2025, 6, 30), 999, D(99))  # exactly one year ago: the year before
    order(own_account, dt.date(2025, 7, 1), 100, None)  # last 12 months; profit unknown
    order(own_account, dt.date(2026, 6, 30), 50, D(5))  # as-of day counts
    order(own_account, dt.date(2026, 7, 1), 7777, D(7))  # after as-of: ignored
    order(foreign_account, dt.date(2026, 1, 1), 8888, D(8))  # another customer: ignored
    with django_assert_num_queries(1):
        evidence = order_evidence(account_id=own_account.pk, as_of=AS_OF)
    assert evidence.first_order_on == dt.date(2018, 3, 1)
    assert (evidence.revenue_1y, evidence.profit_1y) == (D(150), D(5))
    assert (evidence.revenue_prev_1y, evidence.profit_prev_1y) == (D(1199), D(119))
    assert (evidence.revenue_5y, evidence.profit_5y) == (D(1649), D(154))
    assert (evidence.revenue_all, evidence.profit_all) == (D(2149), D(204))
    assert evidence.revenue_growth_pct == D("-87.5")  # 150 / 1199 - 1


def test_a_customer_without_orders_has_zeros_and_no_growth(own_account):
    evidence = order_evidence(account_id=own_account.pk, as_of=AS_OF)
    assert evidence.first_order_on is None
    assert evidence.revenue_all == 0 and evidence.revenue_growth_pct is None


def test_strategic_count_is_not_available_before_segmentation(account_manager):
    assert strategic_account_count(user=account_manager) is None
