"""The measures SQL on tiny bases whose answers are known by hand (PostgreSQL and SQLite SQL)."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import AccountStatus
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun, RiskSnapshot
from segmentation.segments.decision import DecisionModel
from segmentation.segments.measures import customer_measures
from segmentation.segments.rules import SegmentConfig
from tests.factories import AccountFactory, OrderFactory

AS_OF = dt.date(2026, 6, 30)
pytestmark = pytest.mark.django_db


def measures(model=None, run_id=None, c=None):
    return {
        m.account_id: m
        for m in customer_measures(
            as_of=AS_OF, run_id=run_id, c=c or SegmentConfig(), model=model or DecisionModel()
        )
    }


def test_percentiles_of_a_small_base_are_cumulative_ranks_among_active_customers():
    accounts = [AccountFactory() for _ in range(5)]
    for i, account in enumerate(accounts, start=1):
        OrderFactory(account=account, ordered_on=AS_OF, revenue=i * 100, gross_profit=i * 10)
    AccountFactory(status=AccountStatus.CLOSED)  # not part of the base
    model = DecisionModel(weights={"revenue_12m": 1.0, "gross_profit_12m": 1.0})
    result = measures(model)
    assert sorted(result) == [a.pk for a in accounts]
    assert [result[a.pk].percentiles["revenue_12m"] for a in accounts] == [0.2, 0.4, 0.6, 0.8, 1.0]
    assert [result[a.pk].score_percentile for a in accounts] == [0.2, 0.4, 0.6, 0.8, 1.0]


def test_ties_share_the_higher_rank():
    a, b, c = AccountFactory(), AccountFactory(), AccountFactory()
    OrderFactory(account=a, ordered_on=AS_OF, revenue=100)
    OrderFactory(account=b, ordered_on=AS_OF, revenue=100)
    OrderFactory(account=c, ordered_on=AS_OF, revenue=300)
    result = measures()
    assert result[a.pk].percentiles["revenue_12m"] == pytest.approx(2 / 3)
    assert result[b.pk].percentiles["revenue_12m"] == pytest.approx(2 / 3)
    assert result[c.pk].percentiles["revenue_12m"] == 1.0


def test_the_weighted_score_mixes_measures_by_weight():
    # a: most revenue, b: most months with orders. Regularity weighs 3 to 1: b ranks first.
    a, b = AccountFactory(), AccountFactory()
    OrderFactory(account=a, ordered_on=AS_OF, revenue=10_000)
    for month in range(4):
        OrderFactory(account=b, ordered_on=AS_OF - dt.timedelta(days=31 * month), revenue=10)
    result = measures(DecisionModel(weights={"revenue_12m": 1.0, "regularity": 3.0}))
    assert (result[a.pk].score_percentile, result[b.pk].score_percentile) == (0.5, 1.0)


def test_order_measures_use_only_the_windows_up_to_as_of():
    a = AccountFactory(purchasing_potential=Decimal("9000"))
    OrderFactory(account=a, ordered_on=AS_OF, revenue=100, gross_profit=30)
    OrderFactory(account=a, ordered_on=AS_OF - dt.timedelta(days=5), revenue=100, gross_profit=30)
    OrderFactory(account=a, ordered_on=AS_OF - dt.timedelta(days=364), revenue=50, gross_profit=5)
    OrderFactory(account=a, ordered_on=AS_OF - dt.timedelta(days=365), revenue=80)  # prior year
    OrderFactory(account=a, ordered_on=AS_OF - dt.timedelta(days=729), revenue=20)
    OrderFactory(account=a, ordered_on=AS_OF - dt.timedelta(days=730), revenue=999)  # too old
    OrderFactory(account=a, ordered_on=AS_OF + dt.timedelta(days=1), revenue=999)  # future
    m = measures()[a.pk]
    assert (m.revenue_12m, m.gross_profit_12m, m.revenue_prev_12m) == (250, 65, 100)
    assert (m.orders_12m, m.months_ordered) == (3, 2)  # this month twice, and 364 days ago
    assert m.yoy_growth_pct == Decimal("150.0")
    assert m.gross_margin_pct == Decimal("26.0")
    assert m.purchasing_potential == Decimal("9000")


def test_a_customer_without_orders_has_zero_measures():
    a = AccountFactory()
    m = measures()[a.pk]
    assert (m.revenue_12m, m.orders_12m, m.months_ordered, m.yoy_growth_pct) == (0, 0, 0, None)


def test_missing_categories_are_those_most_peers_buy():
    config = SegmentConfig(min_peers=3, peer_share_pct=60)
    peers = [AccountFactory(industry="Food") for _ in range(5)]
    for account in peers[:4]:
        OrderFactory(account=account, ordered_on=AS_OF, product_category="Cables")
    for account in peers[:3]:
        OrderFactory(account=account, ordered_on=AS_OF, product_category="Tools")
    OrderFactory(account=peers[0], ordered_on=AS_OF, product_category="Paint")  # 1 of 5
    OrderFactory(
        account=peers[4], ordered_on=AS_OF - dt.timedelta(days=400), product_category="Cables"
    )
    other = AccountFactory(industry="Textiles")  # an industry of one: no peers
    result = measures(c=config)
    assert result[peers[4].pk].missing_categories == ("Cables", "Tools")
    assert result[peers[4].pk].peers == 5
    assert result[peers[3].pk].missing_categories == ("Tools",)
    assert result[peers[0].pk].missing_categories == ()
    assert result[other.pk].missing_categories == ()


def test_missing_categories_are_valued_at_the_median_revenue_of_the_peers_buying_them():
    """Cables: bought by four peers for 100, 300, 200 and 1,000 (one of them in two orders of
    150): median (200 + 300) / 2 = 250. Tools: by three, 40, 10 and 70: median 40."""
    config = SegmentConfig(min_peers=3, peer_share_pct=60)
    peers = [AccountFactory(industry="Food") for _ in range(5)]
    for account, revenue in zip(peers, [100, 1000, 200], strict=False):
        OrderFactory(account=account, ordered_on=AS_OF, product_category="Cables", revenue=revenue)
    for _ in range(2):
        OrderFactory(account=peers[3], ordered_on=AS_OF, product_category="Cables", revenue=150)
    for account, revenue in zip(peers, [40, 10, 70], strict=False):
        OrderFactory(account=account, ordered_on=AS_OF, product_category="Tools", revenue=revenue)
    result = measures(c=config)
    assert result[peers[4].pk].missing_categories == ("Cables", "Tools")
    assert result[peers[4].pk].missing_revenue == Decimal("290.00")  # 250 + 40
    assert result[peers[3].pk].missing_revenue == Decimal("40.00")  # misses Tools only
    assert result[peers[0].pk].missing_revenue == 0
    # The portfolio's margin, for a customer without revenue: gross profit over revenue.
    total = sum(m.revenue_12m for m in result.values())
    profit = sum(m.gross_profit_12m for m in result.values())
    assert result[peers[4].pk].portfolio_margin == pytest.approx(profit / total)


def test_the_churn_snapshot_of_the_same_run_is_joined():
    a, b = AccountFactory(), AccountFactory()
    run = NightlyRun.objects.create(as_of=AS_OF, status=RunStatus.RUNNING)
    RiskSnapshot.objects.create(
        run=run,
        account=a,
        score=Decimal("72.0"),
        probability=Decimal("0.815"),
        expected_loss=Decimal("0.00"),
        level="high",
        flags=[{"code": "competitor", "evidence": {"on": "2026-06-01"}}],
        revenue_12m=0,
        gross_profit_12m=0,
    )
    result = measures(run_id=run.pk)
    assert result[a.pk].churn_level == "high"
    assert result[a.pk].churn_score == Decimal("72.0")
    assert result[a.pk].churn_probability == Decimal("0.815")
    assert result[a.pk].risk_flags == {"competitor": {"on": "2026-06-01"}}
    assert (result[b.pk].churn_level, result[b.pk].risk_flags) == (None, {})


def test_only_weighted_measures_are_ranked():
    OrderFactory(account=AccountFactory(), ordered_on=AS_OF)
    [m] = measures(DecisionModel(weights={"regularity": 1.0})).values()
    assert m.percentiles == {"regularity": 1.0}
