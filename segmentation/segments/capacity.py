"""Programme admission per account manager: rank the candidates, admit up to capacity.

Pure functions: the nightly run admits each account manager's candidates with `admit`
(`programme_places`), and the capacity page's what-if ranks the run's candidates again, by
either rule, at another capacity.

Two rules (enums.AdmissionRule): **value first** ranks by the programme value (segments.value:
the money the programme protects or creates), then segment precedence; **precedence first**
(the rule before value) by segment precedence, then gross profit at stake. Ties go to the
older account id.
"""

from collections.abc import Iterable
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple

from segmentation.enums import AdmissionRule, Programme


class Candidate(NamedTuple):
    account_id: int
    precedence_rank: int  # 0 = the first segment in the admin's precedence
    value_at_stake: Decimal  # trailing-12-month gross profit
    value: Decimal = Decimal(0)  # the programme value (segments.value)


class Admission(NamedTuple):
    account_id: int
    rank: int  # 1-based position among this account manager's candidates
    status: str


def rank_key(c: Candidate, rule: str = AdmissionRule.PRECEDENCE) -> tuple[Decimal | int, ...]:
    """The order `ranked` sorts by, as one key (the tests' plain reference)."""
    if rule == AdmissionRule.VALUE:
        return (-c.value, c.precedence_rank, c.account_id)
    return (c.precedence_rank, -c.value_at_stake, c.account_id)


def ranked(
    candidates: Iterable[Candidate], rule: str = AdmissionRule.PRECEDENCE
) -> list[Candidate]:
    """The order of `rank_key`, by three stable sorts on plain attributes (no key tuples and no
    Decimal negation: several times faster for the nightly run's 100,000 customers)."""
    if rule not in AdmissionRule.values:
        raise ValueError(f"No admission rule {rule!r}.")
    result = sorted(candidates, key=attrgetter("account_id"))
    if rule == AdmissionRule.VALUE:
        result.sort(key=attrgetter("precedence_rank"))
        result.sort(key=attrgetter("value"), reverse=True)  # reverse keeps ties' order
        return result
    result.sort(key=attrgetter("value_at_stake"), reverse=True)
    result.sort(key=attrgetter("precedence_rank"))
    return result


def admit(
    candidates: Iterable[Candidate], *, capacity: int, rule: str = AdmissionRule.PRECEDENCE
) -> list[Admission]:
    """Admit the best `capacity` candidates of one account manager; waitlist the rest."""
    ranked_ = ranked(candidates, rule)
    return [
        Admission(c.account_id, i, Programme.ADMITTED if i <= capacity else Programme.WAITLISTED)
        for i, c in enumerate(ranked_, start=1)
    ]


class WhatIf(NamedTuple):
    entering: list[int]  # waitlisted now, admitted under the proposed capacity
    leaving: list[int]  # admitted now, waitlisted under the proposed capacity


def capacity_what_if(ranked_ids: list[int], *, current: int, proposed: int) -> WhatIf:
    """Which accounts change status if capacity moved from `current` to `proposed`.

    `ranked_ids` are the account manager's candidates in admission order (rank 1 first).
    """
    current, proposed = max(current, 0), max(proposed, 0)
    if proposed >= current:
        return WhatIf(ranked_ids[current:proposed], [])
    return WhatIf([], ranked_ids[proposed:current])


def admission_what_if(
    candidates: list[Candidate], *, current: int, proposed: int, rule: str
) -> WhatIf:
    """Which accounts change status if the run's candidates (in the run's admission order,
    admitted up to `current`) were ranked by `rule` and admitted up to `proposed`."""
    now = [c.account_id for c in candidates[: max(current, 0)]]
    then = [c.account_id for c in ranked(candidates, rule)[: max(proposed, 0)]]
    admitted_now, admitted_then = set(now), set(then)
    return WhatIf(
        [pk for pk in then if pk not in admitted_now], [pk for pk in now if pk not in admitted_then]
    )


def overloaded(*, candidates: int, capacity: int) -> bool:
    return candidates > capacity


class Place(NamedTuple):
    status: str
    rank: int | None
    capacity: int | None


NOT_A_CANDIDATE = Place(Programme.NO, None, None)


def programme_places(
    candidates: list[Candidate],
    *,
    owner_id: int | None,
    capacity: int,
    rule: str = AdmissionRule.PRECEDENCE,
) -> dict[int, Place]:
    """One account manager's candidates (customers with a segment) ranked by `rule` and
    admitted up to capacity by `admit`; without an account manager they wait, unranked."""
    if owner_id is None:
        return {c.account_id: Place(Programme.WAITLISTED, None, None) for c in candidates}
    return {
        a.account_id: Place(a.status, a.rank, capacity)
        for a in admit(candidates, capacity=capacity, rule=rule)
    }
