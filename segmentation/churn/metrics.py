"""Ranking metrics for the backtest: pure functions over (score, lost) pairs."""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TopK:
    share: float
    precision: float
    recall: float


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Probability that a random lost customer scores above a random kept one (ties count half).

    Computed from ranks (Mann-Whitney U) in O(n log n). Raises ValueError when one class is empty.
    """
    positives = sum(1 for label in labels if label)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        raise ValueError("ROC AUC needs both lost and kept customers.")
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum = 0.0
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        mid_rank = (i + j) / 2 + 1  # tied scores share their average rank
        rank_sum += mid_rank * sum(1 for k in range(i, j + 1) if labels[order[k]])
        i = j + 1
    u = rank_sum - positives * (positives + 1) / 2
    return u / (positives * negatives)


def top_share(scores: Sequence[float], labels: Sequence[bool], *, share: float) -> TopK:
    """Precision and recall among the highest-scored `share` of customers (at least one).

    Ties at the cut are broken by position, so callers should pass a stable order.
    """
    if not 0 < share <= 1:
        raise ValueError("share must be in (0, 1].")
    n = max(1, round(len(scores) * share))
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])[:n]
    hits = sum(1 for i in ranked if labels[i])
    positives = sum(1 for label in labels if label)
    return TopK(share=share, precision=hits / n, recall=hits / positives if positives else 0.0)
