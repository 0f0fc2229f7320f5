"""backtest_risk on a small history whose fates are known, and the weight search."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from segmentation.churn.backtest import Sample, backtest_samples, measure, tune_weights
from segmentation.churn.selectors import risk_config_get
from tests.factories import AccountFactory, OrderFactory

AS_OF = dt.date(2026, 6, 30)


def weekly(account, *, until: dt.date, weeks: int = 30) -> None:
    for week in range(weeks):
        OrderFactory(account=account, ordered_on=until - dt.timedelta(weeks=week))


@pytest.fixture
def history(db):
    """Two buyers who stop before DATE, two who keep buying after it, one long gone."""
    gone = [AccountFactory(name=f"Gone {i}") for i in range(2)]
    for account in gone:
        weekly(account, until=AS_OF - dt.timedelta(days=50))
    kept = [AccountFactory(name=f"Kept {i}") for i in range(2)]
    for account in kept:
        weekly(account, until=AS_OF + dt.timedelta(days=60), weeks=40)
    ancient = AccountFactory(name="Ancient")
    OrderFactory(account=ancient, ordered_on=AS_OF - dt.timedelta(days=400))
    return gone, kept, ancient


def test_samples_are_the_active_customers_with_their_fate(history):
    gone, kept, ancient = history
    samples = backtest_samples(as_of=AS_OF, horizon_days=90, config=risk_config_get())
    fates = {s.account_id: s.lost for s in samples}
    assert fates == {gone[0].pk: True, gone[1].pk: True, kept[0].pk: False, kept[1].pk: False}


def test_an_order_on_the_last_day_of_the_horizon_keeps_the_customer(history):
    gone, _, _ = history
    OrderFactory(account=gone[0], ordered_on=AS_OF + dt.timedelta(days=90))
    samples = backtest_samples(as_of=AS_OF, horizon_days=90, config=risk_config_get())
    assert {s.account_id: s.lost for s in samples}[gone[0].pk] is False


def test_the_command_prints_auc_precision_and_recall(history, capsys):
    call_command("backtest_risk", "--as-of", "2026-06-30", "--horizon-days", "90")
    out = capsys.readouterr().out
    assert "customers active in the year before: 4; lost (no order in the horizon): 2" in out
    assert "ROC AUC: 1.000" in out
    assert "top 20%: precision 1.000, recall 0.500" in out  # the top 20% of 4 is one customer


def test_the_command_explains_a_date_without_both_fates(db):
    with pytest.raises(CommandError, match="both lost and kept"):
        call_command("backtest_risk", "--as-of", "2026-06-30")


def test_the_weight_search_never_ranks_worse_than_where_it_starts():
    # One signal separates the fates, the other is noise that the start weights favour.
    samples = [
        Sample(1, {"overdue": 0.9, "infrequent": 0.1}, True),
        Sample(2, {"overdue": 0.8, "infrequent": 0.9}, True),
        Sample(3, {"overdue": 0.1, "infrequent": 1.0}, False),
        Sample(4, {"overdue": 0.0, "infrequent": 0.8}, False),
    ]
    start = {"overdue": 0.1, "infrequent": 1.0}
    best = tune_weights([samples], start)
    assert measure(samples, best).auc == 1.0 > measure(samples, start).auc


def test_the_command_sets_four_scorers_side_by_side(lookback_portfolio, capsys):
    as_of = lookback_portfolio["as_of"] - dt.timedelta(days=90)
    call_command("backtest_risk", "--as-of", as_of.isoformat(), "--horizon-days", "90")
    out = capsys.readouterr().out
    assert "Side by side, the same 30 customers (10 lost), 5-fold held out:" in out
    header, *rows = out.split("held out:\n")[1].strip().splitlines()
    assert header.split() == ["scorer", "AUC", "P@10%", "R@10%", "P@20%", "R@20%", "Brier"]
    names = [row.rsplit(maxsplit=6)[0] for row in rows]
    assert names == [
        "hand weights (score / 100)",
        "learned model (held out)",
        "repeat buying alone",
        "days since the last order",
    ]
    for row in rows:
        figures = [float(v) for v in row.split()[-6:]]
        assert all(0 <= v <= 1 for v in figures)


def test_too_few_fates_for_the_side_by_side_table_are_explained(history, capsys):
    call_command("backtest_risk", "--as-of", "2026-06-30", "--horizon-days", "90")
    assert "Side by side: needs at least 5 lost and 5 kept customers" in capsys.readouterr().out
