"""The monthly rollup (AccountMonth): each customer's revenue, gross profit and orders per
calendar month, rebuilt from the orders in one set-based statement.

Called where orders are written: the orders import (for the customers it touched), the demo
seeder, and `manage.py refresh_account_months` (everything). Pages read the rollup and never
sum orders inside a request.
"""

from collections.abc import Collection

from django.db import connection

from accounts.models import AccountMonth, Order
from accounts.versions import version_changed

TABLE = AccountMonth._meta.db_table
ORDERS = Order._meta.db_table


def _month_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_trunc('month', {column})::date"
    return f"date({column}, 'start of month')"


def account_months_refresh(
    *, account_ids: Collection[int] | None = None, accounts_sql: str | None = None
) -> None:
    """Rebuild the rollup rows of some customers, inside the caller's transaction (the rows
    change together with the orders they sum): those in `account_ids`, or those a subquery
    `accounts_sql` selects (an import's thousands), or every customer when neither is given."""
    where: str = ""
    params: list[int] = []
    if account_ids is not None:
        if not account_ids:
            return
        marks = ", ".join(["%s"] * len(account_ids))
        where, params = f"WHERE account_id IN ({marks})", list(account_ids)
    elif accounts_sql is not None:
        where = f"WHERE account_id IN ({accounts_sql})"
    month = _month_of("ordered_on")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} {where}", params)
        cursor.execute(
            f"INSERT INTO {TABLE} (account_id, month, revenue, gross_profit, orders) "
            f"SELECT account_id, {month}, SUM(revenue), COALESCE(SUM(gross_profit), 0), "
            f"COUNT(*) FROM {ORDERS} {where} GROUP BY account_id, {month}",
            params,
        )
    version_changed()  # pages cached over the old months must not be served
