"""Fixtures of the churn tests: a lookback_portfolio whose look-back fate is known."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from accounts.models import Order
from tests.factories import AccountFactory

AS_OF = dt.date(2026, 10, 31)
LOOKBACK = AS_OF - dt.timedelta(days=90)
_refs = itertools.count()


def buy(account, *, first: dt.date, last: dt.date, every: int, amount: int = 1000) -> None:
    """Orders every `every` days from `first` to `last` (bulk: no factory per order)."""
    days = range(0, (last - first).days + 1, every)
    Order.objects.bulk_create(
        Order(
            account=account,
            external_ref=f"LB{next(_refs):07d}",
            ordered_on=first + dt.timedelta(days=d),
            revenue=Decimal(amount),
            gross_profit=Decimal(amount // 4),
            product_category="Tools",
        )
        for d in days
    )


@pytest.fixture
def lookback_portfolio(db):
    """30 buyers active before the look-back date: 20 keep buying to the run's date, 10 stop
    at various days before the look-back date; one lapsed for over a year; one without orders."""
    start = AS_OF - dt.timedelta(days=600)
    kept, lost = [], []
    for i in range(30):
        account = AccountFactory()
        every = 7 + 7 * (i % 4)
        if i % 3 == 0:
            buy(account, first=start, last=LOOKBACK - dt.timedelta(days=10 + 5 * i), every=every)
            lost.append(account)
        else:
            buy(account, first=start, last=AS_OF - dt.timedelta(days=i % 5), every=every)
            kept.append(account)
    lapsed = AccountFactory()
    buy(lapsed, first=start, last=LOOKBACK - dt.timedelta(days=400), every=30)
    AccountFactory()  # no orders
    return {"kept": kept, "lost": lost, "lapsed": lapsed, "as_of": AS_OF}
