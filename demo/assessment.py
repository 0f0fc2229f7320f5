"""Pure generator: one demo account's relationship assessments and their answers.

About two accounts in five (most of the at-risk ones, fewer of the steady and growing ones)
get one to four submitted assessments over the last eighteen months, written by the
owner. The score and the perception gap are not drawn: they come from the answers through the
programme's own rules (assessments.scoring, assessments.rules), the gap from this account's
generated orders as of the submission day, exactly as `assessment_save` would compute them.
"""

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from accounts.periods import years_before
from assessments.evidence import OrderEvidence
from assessments.models import AnswerKind, AssessmentStatus
from assessments.rules import GAP_QUESTION_NUMBER, perception_gap
from assessments.scoring import SCALE_MAX, SCALE_MIN, ScaledAnswer, relationship_score
from demo import catalog
from demo.generate import AccountPlan, History, OrderRow, money
from demo.patterns import Mood, Pattern

WINDOW_DAYS = 548  # assessments fall in the last ~18 months of the history
P = Pattern
# Chance that an account is assessed at all. The at-risk patterns are the ones the nightly
# run admits to the assessment programme first (the defend segment), so they are assessed
# most, or the sales manager's home would still list mostly never-assessed accounts; the
# first cycle of twenty always has its steady, growing, declining and competitor-threatened
# accounts assessed, so that even a small demo shows every case.
ASSESSED_SHARE: dict[Pattern, float] = {
    P.STEADY: 0.15,
    P.GROWING: 0.35,
    P.DECLINING: 0.8,
    P.COMPETITOR_THREATENED: 0.8,
    P.LAPSING: 0.5,
    P.IRREGULAR: 0.2,
    P.PRICE_SENSITIVE: 0.6,
    P.REORGANISED: 0.6,
}
FAVOURED = (P.STEADY, P.GROWING, P.DECLINING, P.COMPETITOR_THREATENED)
FALLING = (P.DECLINING, P.COMPETITOR_THREATENED)
FIRST_CYCLE = 20
UP_TO_DATE_SHARE = 0.55  # the newest assessment is within every cadence (< 60 days old)
OPTIMIST_SHARE = 0.15  # of falling accounts: question 4 says "growing" against the orders
# Showcase accounts, present at every size: 3 (declining, am3) and 7 (competitor, am1) claim
# growth in question 4; 1 (steady, am1) and 12 (declining, am3) have a draft in progress.
OPTIMISTS = (3, 7)
DRAFTS = (1, 12)

# The relationship score (0-100) the answers aim at, over the assessment window.
SCORE_MOODS: dict[Pattern, Mood] = {
    P.STEADY: Mood((70, 88), (70, 88)),
    P.GROWING: Mood((64, 72), (80, 90)),
    P.DECLINING: Mood((66, 80), (20, 36), 0.1, 0.85),
    P.COMPETITOR_THREATENED: Mood((66, 80), (24, 40), 0.25, 0.9),
    P.LAPSING: Mood((55, 70), (30, 45), 0.2, 0.8),
    P.IRREGULAR: Mood((50, 75), (50, 75)),
    P.PRICE_SENSITIVE: Mood((60, 72), (42, 58), 0.2, 0.9),
    P.REORGANISED: Mood((65, 80), (50, 65), 0.7, 1.0),
}
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    number: int
    kind: str
    weight: Decimal


@dataclass(frozen=True)
class Template:
    """The question version assessments are filled on, and the perception-gap margin."""

    version_id: int
    questions: tuple[QuestionSpec, ...]
    gap_margin_pct: Decimal


# (question_id, scale, yes_no, count, months, revenue 1/5/10y, profit 1/5/10y, note)
AnswerRow = tuple[int | bool | str | None, ...]


@dataclass(frozen=True)
class DemoAssessment:
    status: str
    created: int  # day ordinals
    updated: int
    submitted: int | None
    lock_version: int
    score: Decimal | None
    gap: dict | None
    answers: tuple[AnswerRow, ...]


Sale = tuple[str, Decimal, Decimal]  # ISO day, revenue, gross profit


def demo_assessments(
    plan: AccountPlan,
    history: History,
    orders: Sequence[OrderRow],
    template: Template,
    language: str,
) -> list[DemoAssessment]:
    """The account's assessments, oldest first (a draft last); notes in `language`."""
    rng = random.Random(plan.assessments_seed)
    assessed = _is_assessed(rng, plan)
    if not assessed and plan.number not in DRAFTS:
        return []
    sales = [(row[2], Decimal(row[4]), Decimal(row[5])) for row in orders]
    optimist = plan.pattern in FALLING and (
        plan.number in OPTIMISTS or rng.random() < OPTIMIST_SHARE
    )
    lang = 1 if language == "he" else 0
    # Where in its pattern's score range this customer sits, kept across its assessments:
    # a steady customer stays steady, a falling one falls.
    place = rng.random()
    found = []
    for day in _submission_days(rng, plan, history) if assessed else []:
        evidence = order_evidence_from(sales, as_of=dt.date.fromordinal(day))
        target = _target(plan.pattern, history, day, place, rng)
        answers = _answers(rng, template, target, evidence, optimist=optimist, lang=lang)
        found.append(_submitted(rng, template, day, answers, evidence))
    if plan.number in DRAFTS:
        evidence = order_evidence_from(sales, as_of=history.end)
        target = _target(plan.pattern, history, history.last, place, rng)
        answers = _answers(rng, template, target, evidence, optimist=optimist, lang=lang)
        found.append(_draft(history, answers[: len(answers) // 2]))
    return found


def _is_assessed(rng: random.Random, plan: AccountPlan) -> bool:
    draw = rng.random()  # always drawn: later draws must not depend on the branch
    if plan.number <= FIRST_CYCLE and plan.pattern in FAVOURED:
        return True
    return plan.number in OPTIMISTS or draw < ASSESSED_SHARE[plan.pattern]


def _submission_days(rng: random.Random, plan: AccountPlan, history: History) -> list[int]:
    """One to four days, about 100-170 days apart; the newest up to date or well overdue.

    Falling patterns get at least two, the first a year or more ago, so that the trend shows.
    Draft accounts are overdue: the draft is the assessment being caught up on.
    """
    wanted = rng.randint(2, 4) if plan.pattern in FALLING else rng.randint(1, 4)
    up_to_date = rng.random() < UP_TO_DATE_SHARE and plan.number not in DRAFTS
    newest = history.last - (rng.randint(3, 55) if up_to_date else rng.randint(100, 240))
    days = [newest]
    while len(days) < wanted:
        earlier = days[-1] - rng.randint(100, 170)
        if earlier < history.last - WINDOW_DAYS:
            break
        days.append(earlier)
    if plan.pattern in FALLING and days[-1] > history.last - 330 and len(days) < 4:
        # One from before the slide, so that the fall shows in the customer's own history.
        days.append(history.last - rng.randint(400, WINDOW_DAYS - 8))
    return days[::-1]


def _target(
    pattern: Pattern, history: History, day: int, place: float, rng: random.Random
) -> float:
    t = (day - (history.last - WINDOW_DAYS)) / WINDOW_DAYS
    lo, hi = SCORE_MOODS[pattern].score_range(t)
    return lo + (hi - lo) * place + rng.uniform(-1, 1)


def order_evidence_from(sales: Sequence[Sale], *, as_of: dt.date) -> OrderEvidence:
    """assessments.evidence.order_evidence, computed from generated orders instead of a query
    (same windows: the last 12 months against the 12 before, 5 years, all time)."""
    end = as_of.isoformat()
    one, two, five = (years_before(as_of, n).isoformat() for n in (1, 2, 5))
    upto = [s for s in sales if s[0] <= end]

    def total(index: Literal[1, 2], after: str = "", until: str = end) -> Decimal:
        return sum((s[index] for s in upto if after < s[0] <= until), ZERO)

    return OrderEvidence(
        as_of=as_of,
        first_order_on=dt.date.fromisoformat(min(s[0] for s in upto)) if upto else None,
        revenue_1y=total(1, one),
        profit_1y=total(2, one),
        revenue_prev_1y=total(1, two, one),
        profit_prev_1y=total(2, two, one),
        revenue_5y=total(1, five),
        profit_5y=total(2, five),
        revenue_all=total(1),
        profit_all=total(2),
    )


def _answers(
    rng: random.Random,
    template: Template,
    target: float,
    evidence: OrderEvidence,
    *,
    optimist: bool,
    lang: int,
) -> list[tuple[QuestionSpec, AnswerRow]]:
    """One answer per question, by kind; scale answers scatter around `target`."""
    level = SCALE_MIN + (SCALE_MAX - SCALE_MIN) * target / 100
    mood = "good" if target >= 65 else "mixed" if target >= 45 else "bad"
    noted = {3, rng.choice((5, 6, 7, 8))}  # question 3 asks for the effort in the note
    # Error diffusion from a random start: answers vary, yet their mean tracks the target,
    # so that the trend a pattern promises shows in the score.
    carry = rng.uniform(-0.5, 0.5)
    rows = []
    for q in template.questions:
        note = rng.choice(catalog.ASSESSMENT_NOTES[mood])[lang] if q.number in noted else ""
        if q.kind == AnswerKind.SCALE:
            value = round(level + carry)
            carry += level - value
            if q.number == GAP_QUESTION_NUMBER:
                value = 4 if optimist else _honest_growth_answer(evidence)
                note = catalog.OPTIMIST_NOTE[lang] if optimist else note
            row = _row(q, scale=min(SCALE_MAX, max(SCALE_MIN, value)), note=note)
        elif q.kind == AnswerKind.MONEY:
            row = _money_row(rng, q, evidence, note)
        elif q.kind == AnswerKind.MONTHS:
            row = _row(q, months=max(1, round(3 + 15 * target / 100 + rng.uniform(-2, 2))))
        else:  # yes/no and a count: is this one of my strategic customers, and how many
            row = _row(q, yes_no=target >= 65, count=rng.randint(3, 9), note=note)
        rows.append((q, row))
    return rows


def _honest_growth_answer(evidence: OrderEvidence) -> int:
    """Question 4 as the orders show it: 1-2 falling, 3 flat, 4-5 growing."""
    growth = evidence.revenue_growth_pct
    if growth is None:
        return 3
    for floor, answer in ((30, 5), (10, 4), (-10, 3), (-30, 2)):
        if growth > floor:
            return answer
    return 1


def _row(
    q: QuestionSpec,
    *,
    scale: int | None = None,
    yes_no: bool | None = None,
    count: int | None = None,
    months: int | None = None,
    money_: tuple[str | None, ...] = (None,) * 6,
    note: str = "",
) -> AnswerRow:
    return (q.id, scale, yes_no, count, months, *money_, note)


def _scale(row: AnswerRow) -> int | None:
    """The scale answer of a row (its second column)."""
    value = row[1]
    return value if isinstance(value, int) else None


def _money_row(
    rng: random.Random, q: QuestionSpec, evidence: OrderEvidence, note: str
) -> AnswerRow:
    """The order history's 1- and 5-year figures (as the form pre-fills them), and a 10-year
    forecast of about twice the last five."""
    factor = Decimal(rng.randint(160, 240)) / 100

    def cents(value: Decimal) -> str:
        return money(int(value * 100))

    figures = (
        cents(evidence.revenue_1y),
        cents(evidence.revenue_5y),
        cents(evidence.revenue_5y * factor),
        cents(evidence.profit_1y),
        cents(evidence.profit_5y),
        cents(evidence.profit_5y * factor),
    )
    return _row(q, money_=figures, note=note)


def _submitted(
    rng: random.Random,
    template: Template,
    day: int,
    answers: list[tuple[QuestionSpec, AnswerRow]],
    evidence: OrderEvidence,
) -> DemoAssessment:
    """Score and gap as assessments.services._submit computes them on submission."""
    score = relationship_score(
        ScaledAnswer(value=_scale(row), weight=q.weight)
        for q, row in answers
        if q.kind == AnswerKind.SCALE
    )
    q4 = next(
        (
            _scale(row)
            for q, row in answers
            if q.number == GAP_QUESTION_NUMBER and q.kind == AnswerKind.SCALE
        ),
        None,
    )
    gap = perception_gap(
        q4_answer=q4,
        yoy_growth_pct=evidence.revenue_growth_pct,
        margin_pct=template.gap_margin_pct,
    )
    return DemoAssessment(
        status=AssessmentStatus.SUBMITTED.value,
        created=day - rng.randint(0, 6),
        updated=day,
        submitted=day,
        lock_version=rng.randint(2, 4),
        score=score,
        gap=None if gap is None else {**gap, **evidence.as_json()},
        answers=tuple(row for _, row in answers),
    )


def _draft(history: History, answers: list[tuple[QuestionSpec, AnswerRow]]) -> DemoAssessment:
    """Half filled in, started a few days ago: no score and no gap until it is submitted."""
    return DemoAssessment(
        status=AssessmentStatus.DRAFT.value,
        created=history.last - 3,
        updated=history.last - 1,
        submitted=None,
        lock_version=2,
        score=None,
        gap=None,
        answers=tuple(row for _, row in answers),
    )
