"""What one user's digest holds, read through the visibility rule: accounts that became high
risk since the last period (with their value at stake), the user's tasks falling due, the
assessments due, the goals behind. Each list is cut to its first items, with the total."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import F
from django.urls import reverse

from accounts.models import Account
from accounts.selectors import account_list_visible_to
from assessments.selectors import assessments_due
from playbooks.digest.periods import Period
from playbooks.facts import goals_behind_source
from playbooks.messages import goal_sentence
from playbooks.selectors import open_tasks_due
from segmentation.enums import RiskLevel
from segmentation.models import NightlyRun, RiskSnapshot
from users.models import User

LIMIT = 10
GoalsBehind = Mapping[int, Mapping[int, Mapping[str, Any]]]


def link(path: str) -> str:
    """An absolute link into the portal (settings.PORTAL_URL: mail has no request)."""
    return settings.PORTAL_URL.rstrip("/") + path


@dataclass(frozen=True)
class Item:
    """One line of the digest: a sentence's parts and where it leads."""

    account: Account
    url: str
    due_on: dt.date | None = None
    amount: Decimal | None = None  # a high-risk account's expected loss
    at_stake: Decimal | None = None  # ... and its gross profit at stake, shown beside it
    title: str = ""


@dataclass(frozen=True)
class Section:
    items: list[Item] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class Digest:
    high_risk: Section
    tasks: Section
    assessments: Section
    goals: Section
    run_as_of: dt.date | None

    @property
    def is_empty(self) -> bool:
        sections = (self.high_risk, self.tasks, self.assessments, self.goals)
        return not any(s.total for s in sections)


def _account_url(account: Account) -> str:
    return link(reverse("accounts:detail", args=[account.pk]))


def _baseline(latest: NightlyRun, period: Period) -> NightlyRun | None:
    """The run the period's "new" is measured against: the newest one a period before."""
    before = latest.as_of - dt.timedelta(days=period.days)
    return NightlyRun.objects.complete().filter(as_of__lte=before).order_by("-as_of").first()


def _high_risk(user: User, latest: NightlyRun | None, period: Period) -> Section:
    if latest is None:
        return Section()
    rows = RiskSnapshot.objects.filter(
        run=latest, level=RiskLevel.HIGH, account__in=account_list_visible_to(user=user)
    )
    baseline = _baseline(latest, period)
    if baseline is not None:
        was_high = RiskSnapshot.objects.filter(run=baseline, level=RiskLevel.HIGH)
        rows = rows.exclude(account_id__in=was_high.values("account_id"))
    # Largest expected loss first (issue 13), as the at-risk lists rank.
    top = rows.select_related("account").order_by(
        F("expected_loss").desc(nulls_last=True), "-gross_profit_12m", "account__name"
    )[:LIMIT]
    items = [
        Item(
            s.account, _account_url(s.account), amount=s.expected_loss, at_stake=s.gross_profit_12m
        )
        for s in top
    ]
    return Section(items, rows.count())


def _tasks(user: User, period: Period) -> Section:
    tasks = open_tasks_due(user=user, by=period.end)
    items = [
        Item(
            t.account, link(reverse("tasks:detail", args=[t.pk])), t.due_on, title=t.playbook.title
        )
        for t in tasks[:LIMIT]
    ]
    return Section(items, tasks.count())


def _assessments(user: User, period: Period, today: dt.date) -> Section:
    due = [row for row in assessments_due(user=user, today=today) if row.due_on <= period.end]
    items = [
        Item(r.account, link(reverse("assessments:account", args=[r.account.pk])), r.due_on)
        for r in due[:LIMIT]
    ]
    return Section(items, len(due))


def _goals(user: User, behind: GoalsBehind) -> Section:
    visible = account_list_visible_to(user=user).filter(pk__in=list(behind)).order_by("name")
    items = [
        Item(account, _account_url(account), title=goal_sentence(goal))
        for account in visible
        for goal in behind[account.pk].values()
    ]
    return Section(items[:LIMIT], len(items))


def goals_behind(*, today: dt.date) -> GoalsBehind:
    """Every account's goals behind today, once for all the digests of a run of the task."""
    source = goals_behind_source()
    return source(as_of=today) if source is not None else {}


def digest_for(*, user: User, period: Period, today: dt.date, behind: GoalsBehind) -> Digest:
    latest = NightlyRun.objects.latest_complete()
    return Digest(
        high_risk=_high_risk(user, latest, period),
        tasks=_tasks(user, period),
        assessments=_assessments(user, period, today),
        goals=_goals(user, behind),
        run_as_of=latest.as_of if latest else None,
    )
