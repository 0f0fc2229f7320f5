"""Reads: an account's assessment history and chart, due and overdue lists, gaps, score signals."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Account
from accounts.selectors import account_list_visible_to
from assessments.access import user_may_fill
from assessments.models import Answer, Assessment, AssessmentSettings, AssessmentStatus
from assessments.rules import Cadence, due_date, is_overdue
from kam_portal.formats import day
from segmentation.enums import Segment
from segmentation.segments.selectors import programme_accounts_of, programme_ids, with_segment
from users.models import User

if TYPE_CHECKING:  # django-stubs-ext is a dev requirement: for annotations only
    from django_stubs_ext import WithAnnotations


class _DueAnnotations(TypedDict):
    """What `_programme_with_due` adds to each account (`segment` comes from `with_segment`)."""

    last_submitted_at: dt.datetime | None
    segment: str | None


def cadence_current() -> Cadence:
    row = AssessmentSettings.load()
    return Cadence(
        strategic=row.strategic_days,
        defend=row.defend_days,
        grow=row.grow_days,
        default=row.default_days,
    )


def programme_accounts(*, user: User) -> QuerySet[Account]:
    """The programme accounts `user` may see: those admitted by the latest nightly run (every
    visible account before the first run), see segmentation.segments.selectors."""
    return programme_accounts_of(user=user)


def assessments_submitted(*, account: Account) -> list[Assessment]:
    """Submitted assessments of one account, oldest first, with their authors."""
    return list(
        Assessment.objects.filter(account=account, status=AssessmentStatus.SUBMITTED)
        .select_related("author", "template_version")
        .order_by("submitted_at", "id")
    )


def assessment_draft(*, account: Account) -> Assessment | None:
    return (
        Assessment.objects.filter(account=account, status=AssessmentStatus.DRAFT)
        .select_related("author", "last_edited_by")
        .first()
    )


def chart_data(*, assessments: list[Assessment]) -> dict:
    """Score and each 1-5 answer over time, shaped for Chart.js (one query for the answers)."""
    labels = [day(a.submitted_at) for a in assessments]  # the reader's date format
    position = {a.pk: i for i, a in enumerate(assessments)}
    questions: dict[int, list[int | None]] = {}
    rows = Answer.objects.filter(
        assessment__in=position, question__kind="scale", scale__isnull=False
    ).values_list("assessment_id", "question__number", "scale")
    for assessment_id, number, scale in rows:
        questions.setdefault(number, [None] * len(assessments))[position[assessment_id]] = scale
    return {
        "labels": labels,
        "score": [None if a.score is None else float(a.score) for a in assessments],
        "questions": {str(n): questions[n] for n in sorted(questions)},
    }


@dataclass(frozen=True)
class DueRow:
    account: Account
    segment: str | None
    last_submitted_on: dt.date | None
    due_on: dt.date
    overdue: bool


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _overdue_q(*, today: dt.date, cadence: Cadence) -> Q:
    """Due before `today` (see rules.due_date), as a WHERE clause on the annotated accounts:
    never assessed and joined before today, or last assessed more than its cadence ago."""
    q = Q(last_submitted_at__isnull=True, created_at__lt=_day_start(today))
    days = {s: cadence.days_for(s) for s in Segment.values}
    for segment, n in days.items():
        cutoff = _day_start(today - dt.timedelta(days=n))
        q |= Q(segment=segment, last_submitted_at__lt=cutoff)
    cutoff = _day_start(today - dt.timedelta(days=cadence.default))
    no_segment = Q(segment__isnull=True) | ~Q(segment__in=list(days))
    return q | (no_segment & Q(last_submitted_at__lt=cutoff))


def _due_order(cadence: Cadence) -> Coalesce:
    """The due moment, for ordering in SQL (the exact date is computed in Python per row)."""
    period = Case(
        *(
            When(segment=s, then=Value(dt.timedelta(days=cadence.days_for(s))))
            for s in Segment.values
        ),
        default=Value(dt.timedelta(days=cadence.default)),
        output_field=DurationField(),
    )
    due = ExpressionWrapper(F("last_submitted_at") + period, output_field=DateTimeField())
    return Coalesce(due, F("created_at"), output_field=DateTimeField())


def _with_due(
    accounts: QuerySet[Account], *, cadence: Cadence
) -> "QuerySet[WithAnnotations[Account, _DueAnnotations]]":
    """Accounts with their last submission, segment and due moment (no GROUP BY)."""
    last = (
        Assessment.objects.filter(account=OuterRef("pk"), status=AssessmentStatus.SUBMITTED)
        .order_by("-submitted_at")
        .values("submitted_at")[:1]
    )
    accounts = with_segment(accounts).annotate(last_submitted_at=last)
    due = accounts.annotate(due_at=_due_order(cadence)).order_by("due_at", "name", "pk")
    return cast("QuerySet[WithAnnotations[Account, _DueAnnotations]]", due)


def _programme_with_due(
    *, user: User, cadence: Cadence
) -> "QuerySet[WithAnnotations[Account, _DueAnnotations]]":
    return _with_due(programme_accounts(user=user), cadence=cadence)


class Coverage:
    """Where a programme account's assessment stands: done within its cadence, or overdue;
    and, for any account, whether it has a scored assessment at all."""

    CURRENT = "current"
    OVERDUE = "overdue"
    SCORED = "scored"


def accounts_with_a_score(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """The accounts with at least one submitted, scored assessment: those a mean relationship
    score is taken over."""
    scored = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, score__isnull=False)
    return accounts.filter(pk__in=scored.values("account_id"))


def programme_accounts_by_coverage(
    accounts: QuerySet[Account], *, coverage: str, today: dt.date
) -> QuerySet[Account]:
    """The programme accounts among `accounts` whose assessment is current, or overdue (a
    subquery over the programme's few thousand accounts, never over the whole base)."""
    cadence = cadence_current()
    programme = _with_due(Account.objects.filter(pk__in=programme_ids()), cadence=cadence)
    overdue = _overdue_q(today=today, cadence=cadence)
    chosen = (
        programme.filter(overdue) if coverage == Coverage.OVERDUE else programme.exclude(overdue)
    )
    return accounts.filter(pk__in=chosen.order_by().values("pk"))


def _due_row(
    account: "WithAnnotations[Account, _DueAnnotations]", *, cadence: Cadence, today: dt.date
) -> DueRow:
    last = timezone.localdate(account.last_submitted_at) if account.last_submitted_at else None
    segment = account.segment or None
    due_on = due_date(
        last_submitted_on=last,
        joined_on=timezone.localdate(account.created_at),
        segment=segment,
        cadence=cadence,
    )
    return DueRow(account, segment, last, due_on, is_overdue(due_on=due_on, today=today))


def assessments_due(*, user: User, today: dt.date) -> list[DueRow]:
    """Every programme account `user` may see with its next due date, soonest first."""
    cadence = cadence_current()
    accounts = _programme_with_due(user=user, cadence=cadence).select_related("owner")
    return [_due_row(a, cadence=cadence, today=today) for a in accounts]


def assessments_overdue(*, user: User, today: dt.date, limit: int | None = None) -> list[DueRow]:
    """The overdue programme accounts, most overdue first: filtered and cut in SQL, so a page
    showing ten costs the same for 20 accounts or 20,000."""
    cadence = cadence_current()
    accounts = (
        _programme_with_due(user=user, cadence=cadence)
        .filter(_overdue_q(today=today, cadence=cadence))
        .select_related("owner")
    )
    if limit is not None:
        accounts = accounts[:limit]
    return [_due_row(a, cadence=cadence, today=today) for a in accounts]


def assessments_overdue_count(*, user: User, today: dt.date) -> int:
    cadence = cadence_current()
    accounts = _programme_with_due(user=user, cadence=cadence)
    return accounts.filter(_overdue_q(today=today, cadence=cadence)).count()


def perception_gaps_visible_to(*, user: User, limit: int | None = None) -> list[Assessment]:
    """The latest submitted assessment of each visible account, where it records a gap (the
    first `limit` by account name, cut in SQL). "Latest" as a NOT EXISTS of a newer one: an
    equality with a correlated "newest" subquery misled PostgreSQL's estimates into a nested
    loop five times slower at 100,000 customers."""
    newer = Assessment.objects.filter(
        Q(submitted_at__gt=OuterRef("submitted_at"))
        | Q(submitted_at=OuterRef("submitted_at"), pk__gt=OuterRef("pk")),
        account=OuterRef("account"),
        status=AssessmentStatus.SUBMITTED,
    )
    gaps = (
        Assessment.objects.filter(
            ~Exists(newer),
            account__in=account_list_visible_to(user=user),
            status=AssessmentStatus.SUBMITTED,
            perception_gap__isnull=False,
        )
        .select_related("account", "author")
        .order_by("account__name")
    )
    return list(gaps if limit is None else gaps[:limit])


@dataclass(frozen=True)
class AccountAssessmentSummary:
    latest: Assessment | None
    previous: Assessment | None
    draft: Assessment | None
    history: list[Assessment]  # submitted, newest first
    chart: dict
    may_fill: bool


def account_assessment_summary(*, account: Account, user: User) -> AccountAssessmentSummary:
    """Everything the account page shows about assessments (four queries)."""
    submitted = assessments_submitted(account=account)
    history = submitted[::-1]
    return AccountAssessmentSummary(
        latest=history[0] if history else None,
        previous=history[1] if len(history) > 1 else None,
        draft=assessment_draft(account=account),
        history=history,
        chart=chart_data(assessments=submitted),
        may_fill=user_may_fill(user=user, account=account),
    )


@dataclass(frozen=True)
class CoverageCount:
    current: int = 0
    overdue: int = 0

    @property
    def programme(self) -> int:
        return self.current + self.overdue

    @property
    def current_pct(self) -> int | None:
        return round(100 * self.current / self.programme) if self.programme else None


def coverage_by_owner(
    accounts: QuerySet[Account], *, today: dt.date
) -> dict[int | None, CoverageCount]:
    """Per account manager (None: accounts without one), how many of the programme accounts
    among `accounts` have an assessment done within their cadence, and how many are overdue:
    the same rule as `programme_accounts_by_coverage`, counted in one query."""
    cadence = cadence_current()
    programme = _with_due(accounts.filter(pk__in=programme_ids()), cadence=cadence)
    overdue = _overdue_q(today=today, cadence=cadence)
    rows = (
        programme.order_by()
        .values("owner")
        .annotate(overdue=Count("pk", filter=overdue), all=Count("pk"))
        .values_list("owner", "overdue", "all")
    )
    return {owner: CoverageCount(total - late, late) for owner, late, total in rows}


def mean_relationship_score(accounts: QuerySet[Account], *, on: dt.datetime) -> Decimal | None:
    """The mean of each account's latest scored assessment submitted by `on` (one query)."""
    scored = Assessment.objects.filter(
        status=AssessmentStatus.SUBMITTED, score__isnull=False, submitted_at__lte=on
    )
    latest = scored.filter(account=OuterRef("account")).order_by("-submitted_at", "-id")
    rows = scored.filter(
        account__in=accounts.order_by().values("pk"), pk=Subquery(latest.values("pk")[:1])
    )
    mean = rows.aggregate(mean=Avg("score"))["mean"]
    return None if mean is None else Decimal(str(mean)).quantize(Decimal("0.1"))
