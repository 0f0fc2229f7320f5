"""Goal progress from the orders: the set-based statement gives, on a small portfolio, the
answers worked out by hand and those of the plain path (orders summed in Python, the pure rule
applied); it runs inside the nightly run's publishing transaction, all or nothing."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Order
from plans.enums import AMOUNT_KINDS, GoalKind, GoalState
from plans.models import PROGRESS_FIELDS, Goal, GrowthPlan
from plans.nightly import COLUMN_TYPES, goal_progress_refresh, measured_goals
from plans.progress import amount_progress, category_progress
from segmentation.enums import RunStatus
from segmentation.models import NightlyRun
from segmentation.pipeline import nightly_run_start
from tests.factories import AccountFactory, OrderFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2027, 3, 15)  # day 74 of 2027
YEAR = {"starts_on": dt.date(2027, 1, 1), "ends_on": dt.date(2027, 12, 31)}
BY_JUNE = {"starts_on": dt.date(2027, 1, 1), "ends_on": dt.date(2027, 6, 30)}


def order(account, day, revenue, gross_profit=None, category=""):
    return OrderFactory(
        account=account,
        ordered_on=day,
        revenue=Decimal(revenue),
        gross_profit=None if gross_profit is None else Decimal(gross_profit),
        product_category=category,
    )


def goal(plan, kind, **fields) -> Goal:
    return Goal.objects.create(plan=plan, kind=kind, **fields)


@pytest.fixture
def portfolio():
    """Two accounts with orders around AS_OF and goals whose answers are worked out below."""
    a, b = AccountFactory(name="A"), AccountFactory(name="B")
    order(a, dt.date(2026, 12, 31), 999_999, 1, "Pumps")  # before every period
    order(a, dt.date(2027, 1, 10), 100_000, 20_000, "Cables")
    order(a, dt.date(2027, 3, 1), 50_000, None, "Pumps")  # no gross profit known: counts 0
    order(a, dt.date(2027, 3, 15), -10_000, -2_000, " pumps ")  # a return, on the as-of day
    order(a, dt.date(2027, 3, 16), 70_000, 7_000, "Pumps")  # after the as-of date
    order(b, dt.date(2027, 2, 1), 300_000, 30_000, "Valves")
    plan_a = GrowthPlan.objects.create(account=a, review_on=dt.date(2027, 6, 1))
    plan_b = GrowthPlan.objects.create(account=b, review_on=dt.date(2027, 6, 1))
    return {
        "a_revenue": goal(plan_a, GoalKind.REVENUE, target=500_000, **YEAR),
        "a_profit": goal(plan_a, GoalKind.GROSS_PROFIT, target=100_000, **YEAR),
        "a_pumps": goal(plan_a, GoalKind.CATEGORY, category="PUMPS", **BY_JUNE),
        "a_valves": goal(plan_a, GoalKind.CATEGORY, category="Valves", **BY_JUNE),
        "a_short": goal(
            plan_a,
            GoalKind.REVENUE,
            target=200_000,
            starts_on=dt.date(2027, 1, 1),
            ends_on=dt.date(2027, 3, 10),
        ),
        "a_words": goal(plan_a, GoalKind.FREE_TEXT, text="Meet the new buyer"),
        "b_early": goal(
            plan_b,
            GoalKind.REVENUE,
            target=200_000,
            starts_on=dt.date(2027, 1, 1),
            ends_on=dt.date(2027, 2, 28),
        ),
        "b_later": goal(
            plan_b,
            GoalKind.REVENUE,
            target=1_000_000,
            starts_on=dt.date(2027, 4, 1),
            ends_on=dt.date(2027, 12, 31),
        ),
        "b_valves": goal(
            plan_b,
            GoalKind.CATEGORY,
            category="Valves",
            starts_on=dt.date(2027, 2, 2),
            ends_on=dt.date(2027, 3, 1),
        ),
    }


def stored(goal: Goal) -> tuple:
    goal.refresh_from_db()
    return (goal.state, goal.amount_so_far, goal.share_pct, goal.expected_share_pct, goal.met_on)


def test_the_statement_gives_the_answers_worked_out_by_hand(portfolio):
    assert goal_progress_refresh(as_of=AS_OF) == 8  # the free-text goal is not measured
    expected_line = Decimal("20.3")  # 74 of 365 days
    assert stored(portfolio["a_revenue"]) == (
        GoalState.ON_TRACK,
        Decimal("140000.00"),  # 100,000 + 50,000 - 10,000
        Decimal("28.0"),
        expected_line,
        None,
    )
    assert stored(portfolio["a_profit"]) == (
        GoalState.BEHIND,
        Decimal("18000.00"),  # 20,000 + 0 - 2,000
        Decimal("18.0"),
        expected_line,
        None,
    )
    # The first sale in the category, whatever its case and spaces; the return does not count.
    assert stored(portfolio["a_pumps"]) == (GoalState.MET, None, None, None, dt.date(2027, 3, 1))
    assert stored(portfolio["a_valves"]) == (GoalState.PENDING, None, None, None, None)
    # Ended on 10 March: the return of the 15th is outside its period.
    assert stored(portfolio["a_short"]) == (
        GoalState.MISSED,
        Decimal("150000.00"),
        Decimal("75.0"),
        Decimal("100.0"),
        None,
    )
    assert stored(portfolio["b_early"])[:3] == (
        GoalState.MET,
        Decimal("300000.00"),
        Decimal("150.0"),
    )
    assert stored(portfolio["b_later"]) == (
        GoalState.NOT_STARTED,
        Decimal("0.00"),
        Decimal("0.0"),
        Decimal("0.0"),
        None,
    )
    # Its only order came the day before it counted from.
    assert stored(portfolio["b_valves"])[0] == GoalState.MISSED
    words = Goal.objects.get(pk=portfolio["a_words"].pk)
    assert words.state == "" and words.progress_as_of is None
    assert set(
        Goal.objects.exclude(kind=GoalKind.FREE_TEXT).values_list("progress_as_of", flat=True)
    ) == {AS_OF}


def test_it_reads_every_goal_in_one_statement(portfolio):
    with CaptureQueriesContext(connection) as captured:
        figures = measured_goals(as_of=AS_OF)
    assert len(captured) == 1 and len(figures) == 8


def test_one_goal_alone_is_measured_as_among_all(portfolio):
    goal_progress_refresh(as_of=AS_OF, goal_ids=[portfolio["a_profit"].pk])
    assert stored(portfolio["a_profit"])[0] == GoalState.BEHIND
    assert stored(portfolio["a_revenue"])[0] == ""  # not asked for
    assert goal_progress_refresh(as_of=AS_OF, goal_ids=[]) == 0


def plain_progress(goal: Goal, *, as_of: dt.date):
    """The straightforward path: the account's orders read one by one in Python."""
    orders = Order.objects.filter(account=goal.plan.account, ordered_on__gte=goal.starts_on)
    if goal.kind in AMOUNT_KINDS:
        until = min(goal.ends_on, as_of)
        rows = [o for o in orders if o.ordered_on <= until]
        field = "revenue" if goal.kind == GoalKind.REVENUE else "gross_profit"
        amount = sum((getattr(o, field) or Decimal(0) for o in rows), Decimal(0))
        result = amount_progress(
            target=goal.target,
            starts_on=goal.starts_on,
            ends_on=goal.ends_on,
            amount=amount,
            as_of=as_of,
        )
        return result.state, amount, result.share_pct, result.expected_share_pct, None
    sales = [
        o.ordered_on
        for o in orders
        if o.ordered_on <= as_of
        and o.revenue > 0
        and o.product_category.strip().lower() == goal.category.strip().lower()
    ]
    result = category_progress(
        starts_on=goal.starts_on,
        ends_on=goal.ends_on,
        first_order_on=min(sales, default=None),
        as_of=as_of,
    )
    return result.state, None, None, None, result.met_on


def random_portfolio(rng: random.Random) -> list[Goal]:
    """Twelve accounts with random orders and random goals of every measured kind."""
    categories = ["Pumps", "Valves", "Cables", "pumps ", ""]
    goals = []
    for _ in range(12):
        account = AccountFactory()
        for _ in range(rng.randint(0, 25)):
            day = dt.date(2026, 6, 1) + dt.timedelta(days=rng.randint(0, 500))
            revenue = rng.choice([-1, 1, 1, 1]) * rng.randint(1, 90_000)
            profit = None if rng.random() < 0.2 else revenue // 5
            order(account, day, revenue, profit, rng.choice(categories))
        plan = GrowthPlan.objects.create(account=account, review_on=AS_OF)
        for _ in range(rng.randint(1, 4)):
            start = dt.date(2026, 6, 1) + dt.timedelta(days=rng.randint(0, 400))
            end = start + dt.timedelta(days=rng.randint(0, 400))
            kind = rng.choice(list(GoalKind.values[:3]))
            extra = {"category": rng.choice(categories[:3])} if kind == GoalKind.CATEGORY else {}
            target = {"target": rng.randint(1, 400_000)} if kind in AMOUNT_KINDS else {}
            goals.append(goal(plan, kind, starts_on=start, ends_on=end, **extra, **target))
    return goals


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_statement_agrees_with_the_plain_path(seed):
    goals = random_portfolio(random.Random(seed))
    for as_of in (dt.date(2026, 9, 1), AS_OF, dt.date(2027, 11, 30)):
        goal_progress_refresh(as_of=as_of)
        for g in goals:
            assert stored(g) == plain_progress(g, as_of=as_of), (seed, as_of, g.pk)


def test_the_nightly_run_measures_the_goals(portfolio):
    run = nightly_run_start(as_of=AS_OF)
    assert run.status == RunStatus.COMPLETE
    assert stored(portfolio["a_profit"])[0] == GoalState.BEHIND
    assert "goal_progress_s" in run.timings


def failing_step(run: NightlyRun) -> None:
    raise RuntimeError("a step after the goals failed")


def test_a_failed_run_leaves_the_progress_as_it_was(portfolio, settings):
    nightly_run_start(as_of=AS_OF)
    before = {name: stored(g) for name, g in portfolio.items()}
    Order.objects.filter(account__name="A").update(revenue=Decimal(1_000_000))
    settings.NIGHTLY_FINAL_STEPS = [*settings.NIGHTLY_FINAL_STEPS, f"{__name__}.failing_step"]
    with pytest.raises(RuntimeError, match="after the goals"):
        nightly_run_start(as_of=AS_OF + dt.timedelta(days=1))
    assert NightlyRun.objects.filter(status=RunStatus.FAILED).count() == 1
    assert {name: stored(g) for name, g in portfolio.items()} == before
    assert Goal.objects.get(pk=portfolio["a_revenue"].pk).progress_as_of == AS_OF


def test_a_rerun_of_an_earlier_night_leaves_the_newer_progress(portfolio):
    nightly_run_start(as_of=AS_OF)
    nightly_run_start(as_of=AS_OF - dt.timedelta(days=30))
    assert Goal.objects.get(pk=portfolio["a_revenue"].pk).progress_as_of == AS_OF


def test_the_bulk_write_names_every_progress_field_with_its_type():
    assert list(COLUMN_TYPES) == PROGRESS_FIELDS


def test_many_goals_are_written_in_one_statement(portfolio):
    with CaptureQueriesContext(connection) as captured:
        goal_progress_refresh(as_of=AS_OF)
    assert len(captured) == 2  # read, then write


def test_measuring_writes_no_history(portfolio):
    before = Goal.history.count()
    goal_progress_refresh(as_of=AS_OF)
    assert Goal.history.count() == before
