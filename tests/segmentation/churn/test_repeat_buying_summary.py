"""The repeat-buying summary (x, t_x, T) from the nightly features: the feature SQL on tiny
fixtures whose answers are worked out by hand, and the pure step from features to summary."""

import datetime as dt
import random
from itertools import pairwise

import pytest

from segmentation.churn.features import customer_features
from segmentation.churn.repeat_buying import Summary, summary_arrays, summary_from
from segmentation.churn.rules import SAME_OCCASION_DAYS, Features, RiskConfig
from tests.factories import AccountFactory, OrderFactory

AS_OF = dt.date(2026, 10, 31)
C = RiskConfig()
D = dt.date


def features_of(account, as_of=AS_OF) -> Features:
    (f,) = customer_features(as_of=as_of, lo=account.pk, hi=account.pk, c=C)
    return f


def customer_with_orders(*days: dt.date):
    account = AccountFactory()
    for on in days:
        OrderFactory(account=account, ordered_on=on)
    return account


def test_a_burst_is_one_occasion_dated_by_its_first_order(db):
    # Occasions: 2026-03-01, then 05-10 + 05-12 + 05-14 (each at most 3 days after the last).
    account = customer_with_orders(D(2026, 3, 1), D(2026, 5, 14), D(2026, 5, 10), D(2026, 5, 12))
    f = features_of(account)
    assert (f.first_order_on, f.last_occasion_on, f.last_order_on) == (
        D(2026, 3, 1),
        D(2026, 5, 10),
        D(2026, 5, 14),
    )
    # One repeat occasion, 70 days after the first (31 + 30 + 9); 244 days to the as-of date.
    assert summary_from(f, AS_OF) == Summary(x=1, t_x=70, T=244)


def test_a_customer_whose_last_occasion_is_today(db):
    # Occasions 2025-10-01, 2026-01-01 (+ 01-02), 2026-06-01, 2026-10-31: 395 days apart.
    account = customer_with_orders(
        D(2025, 10, 1), D(2026, 1, 1), D(2026, 1, 2), D(2026, 6, 1), D(2026, 10, 31)
    )
    assert summary_from(features_of(account), AS_OF) == Summary(x=3, t_x=395, T=395)


def test_a_customer_seen_once_has_no_repeat(db):
    # Two orders on one day and one two days later: a single occasion 91 days ago.
    account = customer_with_orders(D(2026, 8, 1), D(2026, 8, 1), D(2026, 8, 3))
    assert summary_from(features_of(account), AS_OF) == Summary(x=0, t_x=0, T=91)


def test_orders_after_the_as_of_date_change_nothing(db):
    account = customer_with_orders(D(2026, 3, 1), D(2026, 5, 10))
    before = summary_from(features_of(account), AS_OF)
    OrderFactory(account=account, ordered_on=AS_OF + dt.timedelta(days=1))
    assert summary_from(features_of(account), AS_OF) == before == Summary(1, 70, 244)
    # Seen from an earlier date, the later occasion does not exist yet.
    assert summary_from(features_of(account, D(2026, 5, 9)), D(2026, 5, 9)) == Summary(0, 0, 69)


def test_a_customer_without_orders_has_no_summary(db):
    f = features_of(AccountFactory())
    assert (f.first_order_on, f.last_occasion_on) == (None, None)
    assert summary_from(f, AS_OF) is None


def test_features_without_the_dates_are_refused():
    f = Features(account_id=7, orders_total=3, gap_count=2)
    with pytest.raises(ValueError, match="customer 7: orders but no first_order_on"):
        summary_from(f, AS_OF)


def test_a_first_order_after_the_as_of_date_is_refused():
    day = D(2026, 11, 2)
    f = Features(account_id=7, orders_total=1, first_order_on=day, last_occasion_on=day)
    with pytest.raises(ValueError, match="customer 7: need first_order_on 2026-11-02"):
        summary_from(f, AS_OF)


def test_summaries_become_the_models_arrays():
    x, t_x, T = summary_arrays([Summary(1, 70, 244), Summary(0, 0, 91)])
    assert (x.tolist(), t_x.tolist(), T.tolist()) == ([1.0, 0.0], [70.0, 0.0], [244.0, 91.0])
    assert all(len(a) == 0 for a in summary_arrays([]))


def plain_summary(days: list[dt.date], as_of: dt.date) -> Summary | None:
    """The summary straight from the order days: an occasion starts after a gap of more than
    SAME_OCCASION_DAYS since the order before."""
    seen = sorted(d for d in days if d <= as_of)
    if not seen:
        return None
    starts = [seen[0]] + [d for prev, d in pairwise(seen) if (d - prev).days > SAME_OCCASION_DAYS]
    return Summary(len(starts) - 1, (starts[-1] - starts[0]).days, (as_of - starts[0]).days)


def test_the_sql_summary_is_the_plain_one_on_random_histories(db):
    rng = random.Random(1)
    histories = [
        [AS_OF - dt.timedelta(days=rng.randint(-10, 400)) for _ in range(rng.randint(0, 9))]
        for _ in range(20)
    ]
    accounts = [customer_with_orders(*days) for days in histories]
    features = list(customer_features(as_of=AS_OF, lo=accounts[0].pk, hi=accounts[-1].pk, c=C))
    got = [summary_from(f, AS_OF) for f in features]
    assert got == [plain_summary(days, AS_OF) for days in histories]
    # The draw holds a customer without orders, one seen once, a burst, an order after AS_OF.
    assert None in got and any(s and s.x == 0 for s in got)
    assert any(s and f.orders_total > s.x + 1 for f, s in zip(features, got, strict=True))
    assert any(max(days, default=AS_OF) > AS_OF for days in histories)
