"""The feature SQL on tiny fixtures whose answers are worked out by hand."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import EventKind
from segmentation.churn.features import _features_from_row, customer_features
from segmentation.churn.rules import Features, RiskConfig
from tests.factories import AccountEventFactory, AccountFactory, ContactFactory, OrderFactory

AS_OF = dt.date(2026, 10, 31)
D = dt.date


def features_of(account, as_of=AS_OF):
    (f,) = customer_features(as_of=as_of, lo=account.pk, hi=account.pk, c=RiskConfig())
    return f


@pytest.fixture
def customer(db):
    account = AccountFactory()
    for on, revenue, gp, compared in [
        (D(2025, 10, 1), "1000", "250", False),  # more than a year before
        (D(2026, 1, 1), "2000", None, False),  # gap 92; no gross profit recorded
        (D(2026, 1, 2), "100", "25", True),  # gap 1: the same buying occasion
        (D(2026, 6, 1), "500", "125", False),  # gap 150
        (D(2026, 10, 31), "300", "75", True),  # gap 152, on the as-of date itself
    ]:
        OrderFactory(
            account=account,
            ordered_on=on,
            revenue=Decimal(revenue),
            gross_profit=Decimal(gp) if gp else None,
            price_compared=compared,
        )
    return account


def test_order_features(customer):
    f = features_of(customer)
    assert (f.orders_total, f.last_order_on) == (5, AS_OF)
    # The year is (2025-10-31, 2026-10-31]: four orders, three buying occasions.
    assert (f.orders_365d, f.occasions_365d) == (4, 3)
    assert (f.revenue_12m, f.gross_profit_12m) == (Decimal("2900"), Decimal("225"))
    # Recent: (2026-08-02, 2026-10-31]; baseline: the 270 days before, from 2025-11-05.
    assert (f.recent_orders, f.recent_revenue) == (1, Decimal("300"))
    assert (f.baseline_orders, f.baseline_revenue) == (3, Decimal("2600"))
    # Gaps between occasions: 92, 150, 152 (the 1-day gap is inside a burst).
    assert (f.gap_count, f.gap_sum, f.gap_sq_sum) == (3, 394, 92**2 + 150**2 + 152**2)
    assert (f.recent_gap_count, f.recent_gap_sum) == (3, 394)
    # Price window: (2026-05-04, 2026-10-31] holds two orders, one compared; one more before.
    assert (f.price_window_orders, f.price_window_compared, f.earlier_price_compared) == (2, 1, 1)


def test_an_order_one_day_after_changes_nothing(customer):
    before = features_of(customer)
    OrderFactory(account=customer, ordered_on=AS_OF + dt.timedelta(days=1), price_compared=True)
    AccountEventFactory(account=customer, kind=EventKind.COMPETITOR, occurred_on=D(2026, 11, 1))
    assert features_of(customer) == before


def test_event_features(customer):
    for kind, on, score in [
        (EventKind.COMPETITOR, D(2026, 9, 1), None),
        (EventKind.COMPLAINT, D(2026, 3, 1), None),  # older than the 180-day lookback
        (EventKind.SATISFACTION, D(2026, 5, 1), 9),
        (EventKind.SATISFACTION, D(2026, 8, 1), 4),  # the latest on or before the as-of date
        (EventKind.SATISFACTION, D(2026, 11, 1), 10),  # after it
        (EventKind.ORG_CHANGE, D(2026, 10, 1), None),
    ]:
        AccountEventFactory(account=customer, kind=kind, occurred_on=on, score=score)
    f = features_of(customer)
    assert (f.last_competitor_on, f.competitor_events) == (D(2026, 9, 1), 1)
    assert (f.complaints, f.last_complaint_on) == (0, D(2026, 3, 1))
    assert (f.satisfaction_score, f.satisfaction_on) == (4, D(2026, 8, 1))
    assert f.org_change_on == D(2026, 10, 1)


def test_two_surveys_on_the_latest_day_count_the_lower_score(customer):
    for score in (7, 3, 9):
        AccountEventFactory(
            account=customer, kind=EventKind.SATISFACTION, occurred_on=D(2026, 9, 1), score=score
        )
    AccountEventFactory(
        account=customer, kind=EventKind.SATISFACTION, occurred_on=D(2026, 8, 1), score=0
    )
    f = features_of(customer)
    assert (f.satisfaction_score, f.satisfaction_on) == (3, D(2026, 9, 1))


def test_a_replaced_primary_contact(customer):
    ContactFactory(
        account=customer, is_primary=True, started_on=D(2024, 1, 1), ended_on=D(2026, 6, 30)
    )
    ContactFactory(account=customer, is_primary=True, started_on=D(2026, 7, 1))
    assert features_of(customer).primary_contact_changed_on == D(2026, 7, 1)
    assert features_of(customer, as_of=D(2026, 6, 30)).primary_contact_changed_on is None


def test_a_primary_contact_with_unknown_start_replaced_by_a_newcomer(customer):
    ContactFactory(account=customer, is_primary=True, ended_on=D(2026, 8, 31))
    ContactFactory(account=customer, is_primary=True, started_on=D(2026, 9, 1))
    ContactFactory(account=customer, is_primary=False, started_on=D(2026, 10, 1))
    assert features_of(customer).primary_contact_changed_on == D(2026, 9, 1)


def test_the_first_primary_contact_is_no_change(customer):
    ContactFactory(account=customer, is_primary=True, started_on=D(2026, 9, 1))
    assert features_of(customer).primary_contact_changed_on is None


def test_orders_on_the_same_day_are_one_occasion(db):
    account = AccountFactory()
    for on in (D(2026, 9, 1), D(2026, 9, 1), D(2026, 9, 21), D(2026, 9, 21), D(2026, 9, 21)):
        OrderFactory(account=account, ordered_on=on)
    f = features_of(account)
    # Two occasions, one gap of 20 days; the same-day orders (gap 0) are inside an occasion.
    assert (f.orders_total, f.occasions_365d) == (5, 2)
    assert (f.gap_count, f.gap_sum, f.gap_sq_sum) == (1, 20, 400)


def test_the_fast_row_path_builds_the_same_frozen_features():
    row = (7, 3, D(2026, 9, 1), 3, Decimal("10.50"), Decimal("2")) + (0,) * 15 + (None,) * 14
    fast = _features_from_row([f.name for f in dataclasses.fields(Features)], row)
    assert fast == Features(*row)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.orders_total = 4  # type: ignore[misc]


def test_a_customer_without_orders_or_events_has_the_defaults(db):
    account = AccountFactory()
    f = features_of(account)
    assert dataclasses.replace(f, account_id=0) == type(f)(account_id=0)


def test_only_the_requested_id_range_is_read(customer):
    other = AccountFactory()
    ids = [
        f.account_id
        for f in customer_features(as_of=AS_OF, lo=customer.pk, hi=other.pk, c=RiskConfig())
    ]
    assert ids == [customer.pk, other.pk]
    ids = [
        f.account_id
        for f in customer_features(as_of=AS_OF, lo=other.pk, hi=other.pk, c=RiskConfig())
    ]
    assert ids == [other.pk]
