"""Admission up to capacity, the waitlist, ties, and the what-if."""

from decimal import Decimal

from segmentation.enums import Programme
from segmentation.segments.capacity import (
    Candidate,
    admit,
    capacity_what_if,
    overloaded,
    rank_key,
    ranked,
)


def test_candidates_are_ranked_by_precedence_then_value_at_stake():
    candidates = [
        Candidate(1, 2, Decimal(900)),  # grow, most profit
        Candidate(2, 0, Decimal(10)),  # defend, little profit
        Candidate(3, 1, Decimal(500)),  # strategic
        Candidate(4, 0, Decimal(20)),  # defend, more profit
    ]
    assert admit(candidates, capacity=2) == [
        (4, 1, Programme.ADMITTED),
        (2, 2, Programme.ADMITTED),
        (3, 3, Programme.WAITLISTED),
        (1, 4, Programme.WAITLISTED),
    ]


def test_a_tie_goes_to_the_older_account():
    candidates = [Candidate(9, 0, Decimal(100)), Candidate(5, 0, Decimal(100))]
    assert admit(candidates, capacity=1) == [
        (5, 1, Programme.ADMITTED),
        (9, 2, Programme.WAITLISTED),
    ]


def test_zero_capacity_waitlists_everyone():
    assert {a.status for a in admit([Candidate(1, 0, Decimal(1))], capacity=0)} == {
        Programme.WAITLISTED
    }


def test_what_if_a_capacity_rises():
    assert capacity_what_if([7, 3, 9, 4], current=1, proposed=3) == ([3, 9], [])


def test_what_if_a_capacity_falls():
    assert capacity_what_if([7, 3, 9, 4], current=3, proposed=1) == ([], [3, 9])


def test_what_if_beyond_the_candidates_changes_only_who_is_there():
    assert capacity_what_if([7, 3], current=1, proposed=10) == ([3], [])
    assert capacity_what_if([7, 3], current=1, proposed=1) == ([], [])


def test_overloaded_only_when_candidates_exceed_capacity():
    assert overloaded(candidates=5, capacity=4)
    assert not overloaded(candidates=4, capacity=4)


def test_the_fast_ranking_is_the_rank_key_order():
    import random

    rng = random.Random(4)
    candidates = [
        Candidate(i, rng.randint(0, 2), Decimal(rng.randint(0, 5)))
        for i in rng.sample(range(99), 60)
    ]
    assert ranked(candidates) == sorted(candidates, key=rank_key)
