"""Evidence shown beside the answers, read from the order history in one aggregate query.

`strategic_account_count` and `account_segments` read segmentation's latest nightly run.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min, Q, Sum, Value
from django.db.models.functions import Coalesce

from accounts.figures import MONEY
from accounts.models import Order
from accounts.periods import Window, growth_pct, years_before
from segmentation.segments.selectors import account_segments_of, strategic_count_of
from users.models import User

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class OrderEvidence:
    as_of: dt.date
    first_order_on: dt.date | None
    revenue_1y: Decimal
    profit_1y: Decimal
    revenue_prev_1y: Decimal
    profit_prev_1y: Decimal
    revenue_5y: Decimal
    profit_5y: Decimal
    revenue_all: Decimal
    profit_all: Decimal

    @property
    def revenue_growth_pct(self) -> Decimal | None:
        """Last 12 months against the 12 months before, in percent."""
        return growth_pct(self.revenue_1y, self.revenue_prev_1y)

    @property
    def profit_growth_pct(self) -> Decimal | None:
        return growth_pct(self.profit_1y, self.profit_prev_1y)

    def as_json(self) -> dict[str, str | None]:
        """The numbers as strings, to store beside a perception gap."""
        return {
            "as_of": self.as_of.isoformat(),
            "revenue_last_12m": str(self.revenue_1y),
            "revenue_prior_12m": str(self.revenue_prev_1y),
            "revenue_growth_pct": _str_or_none(self.revenue_growth_pct),
        }


def _str_or_none(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _sum(field: str, window: Q) -> Coalesce:
    return Coalesce(Sum(field, filter=window), Value(ZERO), output_field=MONEY)


def order_evidence(*, account_id: int, as_of: dt.date) -> OrderEvidence:
    """Revenue and gross profit of one customer over the last 1 and 5 years and since the first
    order, and the year before the last, counting orders on or before `as_of` (one query).
    The two single years are the account page's (accounts.figures.Window)."""
    window = Window(as_of)
    five_years = Q(ordered_on__gt=years_before(as_of, 5))
    row = Order.objects.filter(account_id=account_id, ordered_on__lte=as_of).aggregate(
        first_order_on=Min("ordered_on"),
        revenue_1y=_sum("revenue", window.last_year()),
        profit_1y=_sum("gross_profit", window.last_year()),
        revenue_prev_1y=_sum("revenue", window.year_before()),
        profit_prev_1y=_sum("gross_profit", window.year_before()),
        revenue_5y=_sum("revenue", five_years),
        profit_5y=_sum("gross_profit", five_years),
        revenue_all=_sum("revenue", Q()),
        profit_all=_sum("gross_profit", Q()),
    )
    return OrderEvidence(as_of=as_of, **row)


def strategic_account_count(*, user: User) -> int | None:
    """How many strategic accounts `user` manages; None before the first nightly run."""
    return strategic_count_of(user=user)


def account_segments(*, account_ids: Iterable[int]) -> dict[int, str | None]:
    """The primary segment per account ("strategic", "defend", "grow") in the latest nightly
    run (one query). Accounts missing from the result use the default cadence."""
    return account_segments_of(account_ids=account_ids)
