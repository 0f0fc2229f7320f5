"""Order figures for the web pages: trailing-year revenue, order counts, last order dates.

Every function here starts from the visibility rule (accounts.selectors) or from one account
already fetched through it, and computes its figures in the database with a fixed number of
queries, whatever the number of accounts or orders.
"""

from decimal import Decimal
from typing import Any

from django.db.models import (
    Aggregate,
    Count,
    DecimalField,
    Field,
    IntegerField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.models import Account, AccountMonth, Order
from accounts.periods import Window, growth_pct
from accounts.selectors import account_list_visible_to
from users.models import Role, Team, User

ZERO = Decimal("0")
MONEY: DecimalField = DecimalField(max_digits=16, decimal_places=2)


def _per_account(orders: QuerySet[Order], expression: Aggregate, output_field: Field) -> Subquery:
    """One aggregate of an account's orders, as a correlated subquery.

    A subquery per column (rather than a join and GROUP BY) lets PostgreSQL compute the figures
    only for the rows of the page shown when the list is sorted by a plain column.
    """
    return Subquery(
        orders.filter(account=OuterRef("pk"))
        .order_by()
        .values("account")
        .annotate(value=expression)
        .values("value"),
        output_field=output_field,
    )


def with_order_figures(accounts: QuerySet[Account], *, window: Window) -> QuerySet[Account]:
    """Annotate orders_12m, revenue_12m and last_order_on (up to the as-of date)."""
    last_year = Order.objects.filter(window.last_year())
    up_to = Order.objects.filter(ordered_on__lte=window.as_of)
    return accounts.annotate(
        orders_12m=Coalesce(
            _per_account(last_year, Count("pk"), IntegerField()),
            Value(0),
            output_field=IntegerField(),
        ),
        revenue_12m=Coalesce(
            _per_account(last_year, Sum("revenue"), MONEY), Value(ZERO), output_field=MONEY
        ),
        last_order_on=_per_account(up_to, Max("ordered_on"), Order._meta.get_field("ordered_on")),
    )


def account_key_figures(*, account: Account, window: Window) -> dict:
    """Revenue and gross profit over the trailing year and the one before, in one query."""
    money: dict[str, Any] = {"output_field": MONEY, "default": ZERO}
    figures = Order.objects.filter(account=account, ordered_on__lte=window.as_of).aggregate(
        revenue_12m=Sum("revenue", filter=window.last_year(), **money),
        revenue_prev_12m=Sum("revenue", filter=window.year_before(), **money),
        gross_profit_12m=Sum("gross_profit", filter=window.last_year(), **money),
        gross_profit_prev_12m=Sum("gross_profit", filter=window.year_before(), **money),
        orders_12m=Count("pk", filter=window.last_year()),
        first_order_on=Min("ordered_on"),
        last_order_on=Max("ordered_on"),
    )
    for name in ("revenue", "gross_profit"):
        figures[f"{name}_change_pct"] = growth_pct(
            figures[f"{name}_12m"], figures[f"{name}_prev_12m"]
        )
    return figures


def portal_totals(*, user: User) -> dict:
    """Headcounts for the admin's home page: users per role, teams, accounts, orders."""
    visible = account_list_visible_to(user=user)
    per_role = dict(User.objects.order_by().values_list("role").annotate(n=Count("pk")))
    return {
        "users_by_role": [(label, per_role.get(value, 0)) for value, label in Role.choices],
        "teams": Team.objects.count(),
        "accounts": visible.count(),
        # The monthly rollup, kept current wherever orders are written, sums in a fraction of
        # the time a count of the orders themselves takes (5 million rows: over a second).
        "orders": AccountMonth.objects.filter(account__in=visible).aggregate(
            n=Coalesce(Sum("orders"), 0)
        )["n"],
    }


RECENT_ROWS = 20


def account_detail_context(*, account: Account, window: Window) -> dict:
    """What the account page shows beside the account itself: a handful of bounded queries.
    (Contacts and events come with their cards, from workspace.cards.)"""
    return {
        "figures": account_key_figures(account=account, window=window),
        "team_members": list(account.team_members.order_by("first_name", "username")),
        "recent_orders": list(account.orders.all()[:RECENT_ROWS]),
    }
