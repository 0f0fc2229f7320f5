"""Pure rules of the assessment programme: cadence, due dates, the perception gap.

No ORM, no settings, no clock: callers pass the as-of date and the configured numbers.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from segmentation.enums import Segment


@dataclass(frozen=True)
class Cadence:
    """Days between assessments per segment; `default` covers accounts with no segment yet."""

    strategic: int = 90
    defend: int = 60
    grow: int = 120
    default: int = 90

    def days_for(self, segment: str | None) -> int:
        by_segment: dict[str, int] = {
            Segment.STRATEGIC: self.strategic,
            Segment.DEFEND: self.defend,
            Segment.GROW: self.grow,
        }
        return by_segment.get(segment or "", self.default)


def due_date(
    *, last_submitted_on: dt.date | None, joined_on: dt.date, segment: str | None, cadence: Cadence
) -> dt.date:
    """When the next assessment is due.

    One cadence period after the last submitted one; an account never assessed is due from the
    day it joined the programme (drafts do not count: only a submitted assessment resets the
    clock).
    """
    if last_submitted_on is None:
        return joined_on
    return last_submitted_on + dt.timedelta(days=cadence.days_for(segment))


def is_overdue(*, due_on: dt.date, today: dt.date) -> bool:
    return due_on < today


# Question 4 on its 1-5 scale: 4-5 says purchases grow, 1-2 says they fall (or are split away).
CLAIMS_GROWTH_FROM = 4
CLAIMS_DECLINE_UP_TO = 2


def perception_gap(
    *, q4_answer: int | None, yoy_growth_pct: Decimal | None, margin_pct: Decimal
) -> dict | None:
    """A perception gap when question 4's answer and the orders disagree by more than the margin.

    Says "grow" (4-5) while revenue fell by more than `margin_pct`, or says "fall" (1-2) while it
    rose by more than `margin_pct`. Returns the evidence to store, or None.
    """
    if q4_answer is None or yoy_growth_pct is None:
        return None
    if q4_answer >= CLAIMS_GROWTH_FROM and yoy_growth_pct < -margin_pct:
        claimed = "grow"
    elif q4_answer <= CLAIMS_DECLINE_UP_TO and yoy_growth_pct > margin_pct:
        claimed = "fall"
    else:
        return None
    return {
        "question": 4,
        "answer": q4_answer,
        "claimed": claimed,
        "yoy_growth_pct": str(yoy_growth_pct),
        "margin_pct": str(margin_pct),
    }


# Which question's 1-5 answer the perception-gap rule reads.
GAP_QUESTION_NUMBER = 4


@dataclass(frozen=True)
class AnswerValues:
    """One answer as the form gives it; the names match `Answer`'s columns."""

    scale: int | None = None
    yes_no: bool | None = None
    count: int | None = None
    months: int | None = None
    revenue_1y: Decimal | None = None
    revenue_5y: Decimal | None = None
    revenue_10y: Decimal | None = None
    profit_1y: Decimal | None = None
    profit_5y: Decimal | None = None
    profit_10y: Decimal | None = None
    note: str = ""


ANSWER_FIELDS = tuple(AnswerValues.__dataclass_fields__)
