"""Ranking metrics on lists whose answers are worked out by hand."""

import pytest

from segmentation.churn.metrics import roc_auc, top_share


def test_a_perfect_ranking_has_auc_1():
    assert roc_auc([0.9, 0.8, 0.2, 0.1], [True, True, False, False]) == 1.0


def test_a_reversed_ranking_has_auc_0():
    assert roc_auc([0.1, 0.2, 0.8, 0.9], [True, True, False, False]) == 0.0


def test_auc_counts_pairs():
    # Lost scores 0.8 and 0.3; kept 0.5 and 0.1. Pairs won: (0.8>0.5), (0.8>0.1), (0.3>0.1) = 3/4.
    assert roc_auc([0.8, 0.5, 0.3, 0.1], [True, False, True, False]) == 0.75


def test_ties_count_half():
    assert roc_auc([0.5, 0.5, 0.5], [True, False, False]) == 0.5
    # Lost 0.7 and 0.5; kept 0.5 and 0.2: pairs 1 + 1 + 0.5 + 1 = 3.5 of 4.
    assert roc_auc([0.7, 0.5, 0.5, 0.2], [True, True, False, False]) == 0.875


def test_auc_needs_both_classes():
    with pytest.raises(ValueError, match="both"):
        roc_auc([0.1, 0.2], [True, True])


def test_precision_and_recall_in_the_top_share():
    scores = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    labels = [True, False, True, False, False, True, False, False, False, False]
    top = top_share(scores, labels, share=0.2)  # the top 2: one lost of two; 1 of 3 lost found
    assert (top.precision, top.recall) == (0.5, pytest.approx(1 / 3))
    top = top_share(scores, labels, share=0.1)
    assert (top.precision, top.recall) == (1.0, pytest.approx(1 / 3))


def test_the_top_share_holds_at_least_one_customer():
    assert top_share([1.0, 0.0], [False, True], share=0.1).precision == 0.0


def test_the_share_must_be_a_fraction():
    with pytest.raises(ValueError, match="share"):
        top_share([1.0], [True], share=0)
