from decimal import Decimal

import pytest

from assessments.scoring import ScaledAnswer, relationship_score, scale_fraction

D = Decimal


def test_all_ones_is_a_vendor():
    assert relationship_score([ScaledAnswer(1, D(3)), ScaledAnswer(1, D(1))]) == D("0.0")


def test_all_fives_is_a_partner():
    assert relationship_score([ScaledAnswer(5, D(3)), ScaledAnswer(5, D(1))]) == D("100.0")


def test_all_threes_is_the_middle():
    assert relationship_score([ScaledAnswer(3, D(2))] * 4) == D("50.0")


def test_weights_pull_the_score_towards_heavier_questions():
    # 5 (1.0) weighs 3, 1 (0.0) weighs 1: 3/4 = 75.
    assert relationship_score([ScaledAnswer(5, D(3)), ScaledAnswer(1, D(1))]) == D("75.0")


def test_default_weights_on_known_answers():
    # Version 1 weights: Q3 1, Q4 1, Q5 3, Q6 2, Q7 2, Q8 2, Q10 1 (total 12).
    answers = [(2, 1), (4, 1), (5, 3), (3, 2), (4, 2), (2, 2), (1, 1)]
    fractions = {1: 0, 2: 0.25, 3: 0.5, 4: 0.75, 5: 1}
    # 0.25 + 0.75 + 3 + 1 + 1.5 + 0.5 + 0 = 7; 7 / 12 = 58.33…
    assert sum(fractions[v] * w for v, w in answers) == 7
    assert relationship_score([ScaledAnswer(v, D(w)) for v, w in answers]) == D("58.3")


def test_unanswered_and_zero_weight_questions_do_not_count():
    answers = [ScaledAnswer(5, D(1)), ScaledAnswer(None, D(5)), ScaledAnswer(1, D(0))]
    assert relationship_score(answers) == D("100.0")


def test_no_weighted_answer_means_no_score():
    assert relationship_score([ScaledAnswer(None, D(1)), ScaledAnswer(3, D(0))]) is None
    assert relationship_score([]) is None


def test_fraction_rounds_to_one_decimal():
    # 2 of weight 1 and 3 of weight 2: (0.25 + 1.0) / 3 = 41.666…
    assert relationship_score([ScaledAnswer(2, D(1)), ScaledAnswer(3, D(2))]) == D("41.7")


@pytest.mark.parametrize("value", [0, 6, -1])
def test_a_value_off_the_scale_is_refused(value):
    with pytest.raises(ValueError, match="1-5"):
        scale_fraction(value)
