"""The sales manager's home table: per account manager, the visible accounts they own and those
accounts' revenue over 12 months as the latest complete nightly run measured it.

Why the run's figures and not the orders: summing a year of orders per request cost about a
second at 100,000 customers (20,000 for one sales manager) and held a web worker while it
did; the run's snapshot holds each customer's 12-month revenue already (docs/performance.md)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, FilteredRelation, Q, Sum

from accounts.selectors import account_list_visible_to
from segmentation.models import NightlyRun
from users.models import Team, User
from users.selectors import account_managers_visible_to

ZERO = Decimal("0")


@dataclass(frozen=True)
class OwnerRow:
    """One account manager's share of a sales manager's visible portfolio."""

    owner: User | None
    team: Team | None
    accounts: int
    revenue_12m: Decimal


@dataclass(frozen=True)
class OwnerTable:
    """The rows, and the as-of date of the run their revenue comes from (None before the first
    complete run: then there is no revenue to show)."""

    as_of: dt.date | None
    rows: list[OwnerRow]

    @property
    def total_accounts(self) -> int:
        return sum(r.accounts for r in self.rows)

    @property
    def total_revenue_12m(self) -> Decimal:
        return sum((r.revenue_12m for r in self.rows), ZERO)


def portfolio_by_owner(*, user: User) -> OwnerTable:
    """Per account manager of `user`'s teams (and any other owner of an account `user` sees).
    Three queries: the run, the counts and sums, the people. An account that joined after the
    run counts with no revenue until the next one."""
    run = NightlyRun.objects.latest_complete()
    visible = account_list_visible_to(user=user).order_by()
    if run is None:
        figures = visible.values_list("owner").annotate(n=Count("pk"))
        per_owner = {owner: (n, ZERO) for owner, n in figures}
    else:
        latest = FilteredRelation("risk_snapshots", condition=Q(risk_snapshots__run=run))
        figures = (
            visible.annotate(snapshot=latest)
            .values_list("owner")
            .annotate(n=Count("pk"), revenue=Sum("snapshot__revenue_12m"))
        )
        per_owner = {owner: (n, revenue or ZERO) for owner, n, revenue in figures}
    members = (
        account_managers_visible_to(user=user) | User.objects.filter(pk__in=per_owner.keys())
    ).select_related("team")
    rows = [OwnerRow(m, m.team, *per_owner.get(m.pk, (0, ZERO))) for m in members]
    rows.sort(key=lambda r: (r.team.name if r.team else "~", str(r.owner)))
    if None in per_owner:  # visible accounts nobody owns
        rows.append(OwnerRow(None, None, *per_owner[None]))
    return OwnerTable(run.as_of if run else None, rows)
