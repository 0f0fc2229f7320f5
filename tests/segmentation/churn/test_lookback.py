"""The look-back: every customer as of (as-of - horizon) by the nightly SQL, labelled by the
horizon's orders; nothing dated after its own as-of date changes its description, and nothing
dated after the run's as-of date changes anything, the fitted model version included."""

import datetime as dt
import threading
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Order
from segmentation.churn import lookback as lookback_module
from segmentation.churn import repeat_buying as rb
from segmentation.churn.lookback import lookback_read
from segmentation.churn.models import RiskModelVersion
from segmentation.churn.rules import RiskConfig
from segmentation.pipeline import account_id_ranges, nightly_run_start
from tests.factories import AccountEventFactory, OrderFactory
from tests.support import stored_assessment

AS_OF = dt.date(2026, 10, 31)
LOOKBACK = AS_OF - dt.timedelta(days=90)
pytestmark = pytest.mark.django_db


def read(config: RiskConfig | None = None):
    return lookback_read(
        as_of=LOOKBACK, horizon_days=90, config=config or RiskConfig(), ranges=account_id_ranges()
    )


def test_it_labels_the_customers_active_before_it_by_the_horizons_orders(lookback_portfolio):
    lookback, ids = read()
    lost = dict(zip(ids, lookback.lost.tolist(), strict=True))
    assert set(lost) == {a.pk for a in lookback_portfolio["kept"] + lookback_portfolio["lost"]}
    assert {pk for pk, gone in lost.items() if gone} == {a.pk for a in lookback_portfolio["lost"]}
    assert len(lookback.summaries) == 31  # the lapsed customer is repeat-buying history too
    assert len(lookback.rows) == len(lookback.row_summaries) == 30


def test_each_row_is_the_customer_as_of_the_look_back_date(lookback_portfolio):
    lookback, ids = read()
    weekly = lookback_portfolio["kept"][0]  # buys every 14 days
    row = lookback.rows[ids.index(weekly.pk)]
    last = Order.objects.filter(account=weekly, ordered_on__lte=LOOKBACK).latest("ordered_on")
    assert row.days_since_last_order == (LOOKBACK - last.ordered_on).days
    assert row.revenue_12m == float(
        sum(
            o.revenue
            for o in Order.objects.filter(
                account=weekly,
                ordered_on__gt=LOOKBACK - dt.timedelta(days=365),
                ordered_on__lte=LOOKBACK,
            )
        )
    )
    first = Order.objects.filter(account=weekly).earliest("ordered_on").ordered_on
    assert (LOOKBACK - first).days == lookback.row_summaries[ids.index(weekly.pk)].T


def described(lookback) -> tuple:
    return (
        [tuple(sorted(r.strengths.items())) + tuple(r[1:]) for r in lookback.rows],
        list(lookback.row_summaries),
        list(lookback.summaries),
    )


def test_nothing_after_the_look_back_date_changes_how_customers_are_described(lookback_portfolio):
    before, ids = read()
    gone = lookback_portfolio["lost"][0]
    later = LOOKBACK + dt.timedelta(days=1)
    OrderFactory(account=gone, ordered_on=later, revenue=Decimal("99999"))
    AccountEventFactory(account=lookback_portfolio["kept"][1], kind="complaint", occurred_on=later)
    AccountEventFactory(account=lookback_portfolio["kept"][2], kind="competitor", occurred_on=later)
    noon = timezone.make_aware(dt.datetime.combine(later, dt.time(12)))
    stored_assessment(lookback_portfolio["kept"][3], "10", noon)
    after, same_ids = read()
    assert same_ids == ids
    assert described(after) == described(before)
    # Only the fate changed: the customer that ordered in the horizon is kept now.
    changed = np.flatnonzero(after.lost != before.lost).tolist()
    assert [ids[i] for i in changed] == [gone.pk]


def test_nothing_dated_after_the_runs_date_changes_the_look_back(lookback_portfolio):
    before, ids = read()
    after_run = AS_OF + dt.timedelta(days=1)
    for account in lookback_portfolio["lost"]:
        OrderFactory(account=account, ordered_on=after_run, revenue=Decimal("99999"))
    after, same_ids = read()
    assert same_ids == ids and described(after) == described(before)
    assert after.lost.tolist() == before.lost.tolist()


FITTED = (
    "lookback_as_of", "horizon_days", "customers", "lost", "coefficients", "comparison",
    "learned_auc", "learned_brier", "hand_auc", "hand_brier", "repeat_buying", "scorer", "reason",
)  # fmt: skip


def test_later_orders_change_nothing_in_the_fitted_model(lookback_portfolio):
    """The whole first step: orders after the run's date are invisible to the model."""
    first = nightly_run_start(as_of=AS_OF)
    version = RiskModelVersion.objects.get(run=first)
    assert version.customers == 30 and version.lost == 10 and version.coefficients
    for account in lookback_portfolio["lost"] + lookback_portfolio["kept"][:5]:
        OrderFactory(account=account, ordered_on=AS_OF + dt.timedelta(days=3))
    second = nightly_run_start(as_of=AS_OF)
    again = RiskModelVersion.objects.get(run=second)
    assert [getattr(again, f) for f in FITTED] == [getattr(version, f) for f in FITTED]


def test_the_summaries_are_the_repeat_buying_models(lookback_portfolio):
    lookback, ids = read()
    lost = lookback_portfolio["lost"][1]
    orders = Order.objects.filter(account=lost, ordered_on__lte=LOOKBACK).order_by("ordered_on")
    dates = [o.ordered_on for o in orders]
    assert lookback.row_summaries[ids.index(lost.pk)] == rb.Summary(
        len(dates) - 1, (dates[-1] - dates[0]).days, (LOOKBACK - dates[0]).days
    )


@pytest.mark.django_db(transaction=True)
def test_readers_on_their_own_connections_give_what_the_callers_connection_gives(
    lookback_portfolio, monkeypatch
):
    # Committed data (a transactional test): only then may the readers' connections see it.
    if connection.vendor != "postgresql":
        pytest.skip("readers need PostgreSQL; SQLite reads on the caller's connection")
    ids = sorted(a.pk for a in lookback_portfolio["kept"] + lookback_portfolio["lost"])
    ranges = [(ids[0], ids[9]), (ids[10], ids[19]), (ids[20], ids[-1] + 10)]
    threads = []
    real = lookback_module.customer_features

    def recorded(**kwargs):
        threads.append(threading.current_thread().name)
        return real(**kwargs)

    monkeypatch.setattr(lookback_module, "customer_features", recorded)
    config = RiskConfig()
    alone, alone_ids = lookback_read(as_of=LOOKBACK, horizon_days=90, config=config, ranges=ranges)
    assert threads == [threading.current_thread().name] * 3
    threads.clear()
    beats = []
    ahead, ahead_ids = lookback_read(
        as_of=LOOKBACK,
        horizon_days=90,
        config=config,
        ranges=ranges,
        readers=2,
        beat=lambda: beats.append(1),
    )
    assert len(threads) == 3 and all(name.startswith("lookback") for name in threads)
    assert ahead_ids == alone_ids and len(beats) == 3
    assert described(ahead) == described(alone)
    assert ahead.lost.tolist() == alone.lost.tolist()
