"""The portfolio dashboard's figures and charts, over exactly the accounts `portfolio_accounts`
selects for a user and the shared filters.

Where the numbers come from: the latest complete nightly run (each customer's churn snapshot
with its 12-month revenue and gross profit and the 12 months before and its relationship score,
and its segment and programme place), the monthly rollup (accounts.AccountMonth) and the
assessments. Nothing sums orders here, and every figure costs one query whatever the
portfolio's size.

The whole set is cached (`dashboard_cached`) under the user, the filters, the day, the latest
run and the portfolio data's version (accounts.versions), so a page after any change that could
alter it is computed afresh, and every other one is read from the cache: at 100,000 customers
the computation takes a second or two (docs/performance.md).
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Count, FilteredRelation, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import Account, AccountMonth
from accounts.periods import growth_pct, years_before
from accounts.versions import version_of
from assessments.selectors import CoverageCount, coverage_by_owner
from plans.enums import PlanFilter
from portfolio.filters import PortfolioFilters, visible_choices
from portfolio.selectors import portfolio_accounts
from segmentation.enums import Programme, RiskLevel, Segment
from segmentation.models import NightlyRun, RiskSnapshot, SegmentAssignment
from segmentation.segments.models import SegmentSettings
from users.models import User
from users.selectors import account_managers_visible_to

ZERO = Decimal("0")
MONTHS = 24
TREND_RUNS = 90
CACHE_SECONDS = 24 * 3600  # a new run or a data change makes a new key long before this
SIX_MONTHS_DAYS = 182  # the mean relationship score is compared with the run this far back


@dataclass(frozen=True)
class Money12:
    """A 12-month sum and the 12 months before it."""

    current: Decimal = ZERO
    previous: Decimal = ZERO

    @property
    def change_pct(self) -> Decimal | None:
        return growth_pct(self.current, self.previous)


@dataclass(frozen=True)
class LevelRow:
    level: str
    accounts: int
    gross_profit_12m: Decimal
    expected_loss: Decimal = ZERO


@dataclass(frozen=True)
class RiskFigures:
    revenue: Money12 = Money12()
    gross_profit: Money12 = Money12()
    levels: tuple[LevelRow, ...] = ()

    def level(self, level: str) -> LevelRow:
        return next((r for r in self.levels if r.level == level), LevelRow(level, 0, ZERO))

    @property
    def at_stake(self) -> LevelRow:
        """High and medium risk together: the accounts whose gross profit is at stake."""
        high, medium = self.level(RiskLevel.HIGH), self.level(RiskLevel.MEDIUM)
        return LevelRow(
            "at_stake",
            high.accounts + medium.accounts,
            high.gross_profit_12m + medium.gross_profit_12m,
            high.expected_loss + medium.expected_loss,
        )

    @property
    def expected_loss(self) -> Decimal:
        """Every scored account's chance of no order x its gross profit 12 months, summed: the
        gross profit the portfolio can expect to lose over the horizon."""
        return sum((r.expected_loss for r in self.levels), ZERO)


def mean_score(accounts: QuerySet[Account], *, run: NightlyRun | None) -> Decimal | None:
    """The mean relationship score of `accounts` in the run's snapshots (one query)."""
    if run is None:
        return None
    snapshots = RiskSnapshot.objects.filter(run=run, account__in=_ids(accounts))
    mean = snapshots.aggregate(mean=Avg("assessment_score"))["mean"]
    return None if mean is None else Decimal(mean).quantize(Decimal("0.1"))


def run_before(run: NightlyRun, *, days: int) -> NightlyRun | None:
    """The latest complete run at least `days` before `run` that still has its rows."""
    cutoff = run.as_of - dt.timedelta(days=days)
    earlier = NightlyRun.objects.complete().filter(as_of__lte=cutoff, pruned_at__isnull=True)
    return earlier.order_by("-as_of").first()


def risk_figures(accounts: QuerySet[Account], *, run: NightlyRun) -> RiskFigures:
    """Revenue and gross profit (12 months and the 12 before) and the accounts, gross profit and
    expected loss per churn-risk level, from the run's snapshots of `accounts` (one query)."""
    money = {
        "revenue": Sum("revenue_12m"),
        "revenue_prev": Sum("revenue_prev_12m"),
        "gp": Sum("gross_profit_12m"),
        "gp_prev": Sum("gross_profit_prev_12m"),
    }
    per_level: dict[str, Count | Sum] = {}
    for level in RiskLevel.values:
        at = Q(level=level)
        per_level[f"n_{level}"] = Count("pk", filter=at)
        per_level[f"gp_{level}"] = Sum("gross_profit_12m", filter=at)
        per_level[f"el_{level}"] = Sum("expected_loss", filter=at)
    snapshots = RiskSnapshot.objects.filter(run=run, account__in=_ids(accounts))
    row = {
        k: v if v is not None else ZERO
        for k, v in snapshots.aggregate(**money, **per_level).items()
    }
    return RiskFigures(
        revenue=Money12(row["revenue"], row["revenue_prev"]),
        gross_profit=Money12(row["gp"], row["gp_prev"]),
        levels=tuple(
            LevelRow(level, int(row[f"n_{level}"]), row[f"gp_{level}"], row[f"el_{level}"])
            for level in RiskLevel.values
        ),
    )


def _ids(accounts: QuerySet[Account]) -> "QuerySet[Account, Any]":
    """The accounts as a subquery of ids (no ORDER BY: PostgreSQL plans a semi-join)."""
    return accounts.order_by().values("pk")


@dataclass(frozen=True)
class ProgrammeLoad:
    admitted: int = 0
    waitlisted: int = 0
    capacity: int = 0

    @property
    def load_pct(self) -> int | None:
        return round(100 * self.admitted / self.capacity) if self.capacity else None


def programme_figures(
    accounts: QuerySet[Account], *, run: NightlyRun, managers: QuerySet[User]
) -> ProgrammeLoad:
    """Admitted and waitlisted accounts in the run, and today's capacity of the account managers
    in scope (the default for those without their own)."""
    places = SegmentAssignment.objects.filter(run=run, account__in=_ids(accounts)).aggregate(
        admitted=Count("pk", filter=Q(programme=Programme.ADMITTED)),
        waitlisted=Count("pk", filter=Q(programme=Programme.WAITLISTED)),
    )
    default = SegmentSettings.load().default_capacity
    people = managers.order_by().aggregate(
        n=Count("pk"), own=Sum("programme_capacity__capacity"), with_own=Count("programme_capacity")
    )
    capacity = (people["own"] or 0) + default * (people["n"] - people["with_own"])
    return ProgrammeLoad(places["admitted"], places["waitlisted"], capacity)


@dataclass(frozen=True)
class MonthSeries:
    """Revenue and gross profit per month and segment ("" : no segment), oldest month first."""

    months: list[dt.date]
    revenue: dict[str, list[Decimal]]
    gross_profit: dict[str, list[Decimal]]


def month_series(accounts: QuerySet[Account], *, run: NightlyRun, end: dt.date) -> MonthSeries:
    """The last MONTHS calendar months up to `end`'s, by the segment of the run (one query)."""
    first = years_before(end.replace(day=1), MONTHS // 12)
    months = [_add_months(first, i) for i in range(1, MONTHS + 1)]
    rows = (
        AccountMonth.objects.filter(
            account__in=_ids(accounts),
            month__gte=months[0],
            month__lte=months[-1],
        )
        .annotate(
            seg=FilteredRelation(
                "account__segment_assignments",
                condition=Q(account__segment_assignments__run=run),
            )
        )
        .order_by()
        .values_list("month", "seg__segment")
        .annotate(revenue=Sum("revenue"), gp=Sum("gross_profit"))
    )
    position = {m: i for i, m in enumerate(months)}
    keys = [*Segment.values, ""]
    revenue = {k: [ZERO] * len(months) for k in keys}
    gross_profit = {k: [ZERO] * len(months) for k in keys}
    for month, segment, rev, gp in rows:
        revenue[segment or ""][position[month]] += rev
        gross_profit[segment or ""][position[month]] += gp
    return MonthSeries(months, revenue, gross_profit)


def _add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class OwnerRow:
    """One account manager's accounts in scope: per segment, and their assessment coverage."""

    owner: User | None
    segments: dict[str, int] = field(default_factory=dict)
    coverage: CoverageCount = CoverageCount()


def owner_rows(
    accounts: QuerySet[Account], *, run: NightlyRun, coverage: dict[int | None, CoverageCount]
) -> list[OwnerRow]:
    """Segment mix (by the run) and assessment coverage per current account manager."""
    mix = (
        SegmentAssignment.objects.filter(run=run, account__in=_ids(accounts))
        .order_by()
        .values_list("account__owner", "segment")
        .annotate(n=Count("pk"))
    )
    rows: dict[int | None, OwnerRow] = {}
    for owner_id, segment, n in mix:
        rows.setdefault(owner_id, OwnerRow(None)).segments[segment or ""] = n
    for owner_id, counts in coverage.items():
        rows.setdefault(owner_id, OwnerRow(None)).coverage = counts
    people = User.objects.in_bulk([pk for pk in rows if pk is not None])
    for owner_id, row in rows.items():
        row.owner = people.get(owner_id) if owner_id is not None else None
    return sorted(rows.values(), key=lambda r: (r.owner is None, str(r.owner or "")))


def high_risk_trend(accounts: QuerySet[Account]) -> list[tuple[dt.date, int]]:
    """High-risk accounts among `accounts` in each of the last TREND_RUNS complete runs, oldest
    first (one query; runs whose rows retention pruned count what they kept: none)."""
    runs = NightlyRun.objects.complete().filter(pruned_at__isnull=True).order_by("-as_of")
    run_ids = list(runs.values_list("pk", flat=True)[:TREND_RUNS])
    counts = dict(
        RiskSnapshot.objects.filter(
            run_id__in=run_ids,
            level=RiskLevel.HIGH,
            account__in=_ids(accounts),
        )
        .order_by()
        .values_list("run__as_of")
        .annotate(n=Count("pk"))
    )
    days = sorted(runs.filter(pk__in=run_ids).values_list("as_of", flat=True))
    return [(day, counts.get(day, 0)) for day in days]


@dataclass(frozen=True)
class PlanCounts:
    """Programme accounts without a growth plan, and plans past their review date."""

    without_plan: int = 0
    review_overdue: int = 0


def plan_counts(*, user: User, filters: PortfolioFilters, today: dt.date) -> PlanCounts:
    """Counted over exactly the lists the figures link to (`charts.figure_links`): the same
    filters, narrowed the same way (two queries)."""
    without = replace(filters, programme=Programme.ADMITTED, plan=PlanFilter.NONE)
    overdue = replace(filters, plan=PlanFilter.REVIEW_OVERDUE)
    return PlanCounts(
        without_plan=portfolio_accounts(user=user, filters=without, today=today).count(),
        review_overdue=portfolio_accounts(user=user, filters=overdue, today=today).count(),
    )


@dataclass(frozen=True)
class Dashboard:
    run: NightlyRun | None
    accounts: int
    risk: RiskFigures = RiskFigures()
    programme: ProgrammeLoad = ProgrammeLoad()
    coverage: CoverageCount = CoverageCount()
    score: Decimal | None = None
    score_before: Decimal | None = None
    months: MonthSeries | None = None
    owners: list[OwnerRow] = field(default_factory=list)
    trend: list[tuple[dt.date, int]] = field(default_factory=list)
    plans: PlanCounts = PlanCounts()

    @property
    def score_change(self) -> Decimal | None:
        if self.score is None or self.score_before is None:
            return None
        return self.score - self.score_before


def managers_in_scope(*, user: User, filters: PortfolioFilters) -> QuerySet[User]:
    managers = account_managers_visible_to(user=user)
    if filters.team is not None:
        managers = managers.filter(team=filters.team)
    if filters.owner is not None:
        managers = managers.filter(pk=filters.owner.pk)
    return managers


def dashboard(*, user: User, filters: PortfolioFilters, today: dt.date) -> Dashboard:
    """Every figure and chart of the dashboard for `user` and `filters`."""
    accounts = portfolio_accounts(user=user, filters=filters, today=today)
    run = NightlyRun.objects.latest_complete()
    count = accounts.count()
    if run is None:
        return Dashboard(run=None, accounts=count)
    coverage = coverage_by_owner(accounts, today=today)  # per account manager, summed below
    return Dashboard(
        run=run,
        accounts=count,
        risk=risk_figures(accounts, run=run),
        programme=programme_figures(
            accounts, run=run, managers=managers_in_scope(user=user, filters=filters)
        ),
        coverage=CoverageCount(
            sum(c.current for c in coverage.values()), sum(c.overdue for c in coverage.values())
        ),
        score=mean_score(accounts, run=run),
        score_before=mean_score(accounts, run=run_before(run, days=SIX_MONTHS_DAYS)),
        months=month_series(accounts, run=run, end=run.as_of),
        owners=owner_rows(accounts, run=run, coverage=coverage),
        trend=high_risk_trend(accounts),
        plans=plan_counts(user=user, filters=filters, today=today),
    )


def dashboard_cached(*, user: User, filters: PortfolioFilters, today: dt.date) -> Dashboard:
    """`dashboard`, computed once per user, filters, day, run and version of the portfolio
    data (two small queries to find out which).

    Right after a run is published every key is new. While `dashboards_warm` computes the new
    boards, a reader whose data did not change since their last board gets that board (the
    previous run's, and the page says which run) instead of computing their own beside it."""
    run_id = NightlyRun.objects.latest_complete_pk()
    version = version_of()
    filtered = filters.cache_key()
    board = cache.get(_key(user.pk, today, run_id, version, filtered))
    if board is None and cache.get(_warming_key(run_id)):
        last = cache.get(_last_key(user.pk, filtered))
        board = last[1] if last is not None and last[0] == version else None
    if board is None:
        board = _computed(user, filters, today=today, key=(run_id, version, filtered))
    return board


WARM_READERS_DAYS = 30  # readers signed in this recently get their board computed for them
WARM_SECONDS = 15 * 60  # the longest the previous run's boards stand in for a warm-up


def dashboards_warm_begin(*, run_id: int) -> None:
    """From now until `dashboards_warm` ends (or WARM_SECONDS pass), readers of run `run_id`
    whose data did not change get their previous board rather than wait for a new one."""
    cache.set(_warming_key(run_id), True, timeout=WARM_SECONDS)


def dashboards_warm_end(*, run_id: int) -> None:
    cache.delete(_warming_key(run_id))


def dashboards_warm(*, run_id: int, today: dt.date) -> int:
    """Compute the unfiltered dashboard (and the filters' choices) of every active user signed
    in within WARM_READERS_DAYS for run `run_id` (the latest complete run), so that nobody
    waits for it after a night; returns how many. Ends the warm-up, even on failure."""
    since = timezone.now() - dt.timedelta(days=WARM_READERS_DAYS)
    readers = User.objects.filter(is_active=True, last_login__gte=since).order_by("pk")
    unfiltered = (run_id, version_of(), PortfolioFilters().cache_key())
    try:
        for reader in readers:
            _computed(reader, PortfolioFilters(), today=today, key=unfiltered)
            visible_choices(user=reader)  # the page's filters: cached per version already
    finally:
        dashboards_warm_end(run_id=run_id)
    return len(readers)


def _computed(
    user: User,
    filters: PortfolioFilters,
    *,
    today: dt.date,
    key: tuple[int | None, str, str],
) -> Dashboard:
    """Compute the board and store it under its key (run id, data version, filters' hash, as
    the caller read them) and as the reader's last board."""
    run_id, version, filtered = key
    board = dashboard(user=user, filters=filters, today=today)
    cache.set_many(
        {
            _key(user.pk, today, run_id, version, filtered): board,
            _last_key(user.pk, filtered): (version, board),
        },
        timeout=CACHE_SECONDS,
    )
    return board


def _key(user_id: int, today: dt.date, run_id: int | None, version: str, filtered: str) -> str:
    return f"dashboard:{user_id}:{today}:{run_id}:{version}:{filtered}"


def _last_key(user_id: int, filtered: str) -> str:
    return f"dashboard-last:{user_id}:{filtered}"


def _warming_key(run_id: int | None) -> str:
    return f"dashboard-warming:{run_id}"
