"""Admission up to capacity, the waitlist, ties, and the what-if."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segmentation.enums import AdmissionRule, Programme
from segmentation.segments.capacity import (
    Candidate,
    admission_what_if,
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


# Value first (enums.AdmissionRule.VALUE): the money the programme protects or creates.
VALUE_CANDIDATES = [
    Candidate(1, 2, Decimal(900), Decimal(45_000)),  # grow: the most room to grow
    Candidate(2, 0, Decimal(10), Decimal(8)),  # defend: a small expected loss
    Candidate(3, 1, Decimal(500), Decimal(500)),  # strategic
    Candidate(4, 0, Decimal(20_000), Decimal(12_000)),  # defend: a large expected loss
]


def test_value_first_ranks_by_the_programme_value():
    assert admit(VALUE_CANDIDATES, capacity=2, rule=AdmissionRule.VALUE) == [
        (1, 1, Programme.ADMITTED),
        (4, 2, Programme.ADMITTED),
        (3, 3, Programme.WAITLISTED),
        (2, 4, Programme.WAITLISTED),
    ]


def test_under_value_first_equal_values_go_by_precedence_then_the_older_account():
    tied = [
        Candidate(9, 2, Decimal(1), Decimal(100)),
        Candidate(8, 0, Decimal(1), Decimal(100)),
        Candidate(5, 2, Decimal(1), Decimal(100)),
    ]
    assert [c.account_id for c in ranked(tied, AdmissionRule.VALUE)] == [8, 5, 9]


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="No admission rule 'luck'"):
        ranked(VALUE_CANDIDATES, "luck")


money = st.decimals(min_value=0, max_value=10**7, places=2)
candidates_lists = st.lists(
    st.builds(Candidate, st.integers(1, 10**6), st.integers(0, 3), money, money),
    max_size=40,
    unique_by=lambda c: c.account_id,
)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(candidates_lists, st.integers(0, 45))
def test_value_first_never_waitlists_more_value_than_it_admits(candidates, capacity):
    admissions = admit(candidates, capacity=capacity, rule=AdmissionRule.VALUE)
    value = {c.account_id: c.value for c in candidates}
    admitted = [value[a.account_id] for a in admissions if a.status == Programme.ADMITTED]
    waitlisted = [value[a.account_id] for a in admissions if a.status == Programme.WAITLISTED]
    assert len(admitted) == min(capacity, len(candidates))
    assert not admitted or not waitlisted or max(waitlisted) <= min(admitted)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(candidates_lists, st.sampled_from(AdmissionRule.values))
def test_the_fast_ranking_is_the_plain_sort(candidates, rule):
    plain = sorted(candidates, key=lambda c: rank_key(c, rule))
    assert ranked(candidates, rule) == plain


def test_the_what_if_ranks_the_runs_candidates_by_either_rule():
    by_precedence = ranked(VALUE_CANDIDATES, AdmissionRule.PRECEDENCE)  # 4, 2, 3, 1
    assert [c.account_id for c in by_precedence] == [4, 2, 3, 1]
    # The same rule and capacity change nothing.
    same = admission_what_if(by_precedence, current=2, proposed=2, rule=AdmissionRule.PRECEDENCE)
    assert same == ([], [])
    # Value first at the same capacity: the grow account joins, the small defend one leaves.
    switch = admission_what_if(by_precedence, current=2, proposed=2, rule=AdmissionRule.VALUE)
    assert switch == ([1], [2])
    # And at capacity 3: the strategic one joins as well.
    assert admission_what_if(by_precedence, current=2, proposed=3, rule=AdmissionRule.VALUE) == (
        [1, 3],
        [2],
    )
    assert admission_what_if(
        by_precedence, current=2, proposed=3, rule=AdmissionRule.PRECEDENCE
    ) == capacity_what_if([4, 2, 3, 1], current=2, proposed=3)
