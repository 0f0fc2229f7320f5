"""On the demo portfolio, the customers who are leaving rank above the steady ones."""

import datetime as dt
from collections import defaultdict

import pytest
from django.core.management import call_command

from demo.patterns import Pattern, pattern_of
from segmentation.churn.metrics import roc_auc
from segmentation.models import RiskSnapshot
from segmentation.pipeline import nightly_run_start

END = dt.date(2026, 10, 31)


@pytest.fixture
def scores_by_pattern(db) -> dict[Pattern, list[float]]:
    call_command("seed_demo", "--accounts", "100", "--end-date", END.isoformat(), "--seed", "5")
    run = nightly_run_start(as_of=END)
    scores = defaultdict(list)
    for external_id, score in RiskSnapshot.objects.filter(run=run).values_list(
        "account__external_id", "score"
    ):
        scores[pattern_of(external_id)].append(float(score))
    return scores


@pytest.mark.slow
def test_declining_and_lapsing_customers_rank_above_steady_ones(scores_by_pattern):
    steady = scores_by_pattern[Pattern.STEADY]
    lapsing = scores_by_pattern[Pattern.LAPSING]
    declining = scores_by_pattern[Pattern.DECLINING]
    assert len(steady) >= 20 and len(lapsing) >= 5 and len(declining) >= 5
    assert min(lapsing) > max(steady)
    # Nearly every (declining, steady) pair is ordered right.
    pairs = roc_auc(declining + steady, [True] * len(declining) + [False] * len(steady))
    assert pairs >= 0.95
