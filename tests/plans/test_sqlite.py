"""`make run` is on SQLite: the goals' statement and write give the same answers there (a
subprocess, because the test settings are PostgreSQL)."""

import pytest

from tests.support import manage_on_sqlite as manage

pytestmark = pytest.mark.slow

SCRIPT = """
import datetime as dt
from decimal import Decimal
from accounts.models import Account, Order
from plans.models import Goal, GrowthPlan
from plans.nightly import goal_progress_refresh
a = Account.objects.create(external_id="C1", name="A")
for ref, day, revenue, profit, category in [
    ("O1", "2027-01-10", "100000", "20000", "Cables"),
    ("O2", "2027-03-01", "50000.50", None, "Pumps"),
    ("O3", "2027-03-15", "-10000", "-2000", " pumps "),
    ("O4", "2027-03-16", "70000", "7000", "Pumps"),
]:
    Order.objects.create(
        external_ref=ref, account=a, ordered_on=dt.date.fromisoformat(day),
        revenue=Decimal(revenue), gross_profit=profit and Decimal(profit),
        product_category=category,
    )
plan = GrowthPlan.objects.create(account=a, review_on=dt.date(2027, 6, 1))
year = dict(starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 12, 31))
Goal.objects.create(plan=plan, kind="revenue", target=500000, **year)
Goal.objects.create(plan=plan, kind="gross_profit", target=100000, **year)
Goal.objects.create(plan=plan, kind="category", category="PUMPS", **year)
Goal.objects.create(plan=plan, kind="free_text", text="Meet the owner")
print(goal_progress_refresh(as_of=dt.date(2027, 3, 15)))
for g in Goal.objects.order_by("pk"):
    print(g.kind, g.state, g.amount_so_far, g.share_pct, g.expected_share_pct, g.met_on)
"""


def test_goal_progress_on_sqlite(tmp_path):
    assert manage(tmp_path, "migrate", "-v0").returncode == 0
    result = manage(tmp_path, "shell", "-c", SCRIPT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-5:] == [  # after the shell's notes on its imports
        "3",
        "revenue on_track 140000.50 28.0 20.3 None",
        "gross_profit behind 18000.00 18.0 20.3 None",
        "category met None None None 2027-03-01",
        "free_text  None None None None",
    ]
