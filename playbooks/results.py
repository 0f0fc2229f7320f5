"""Did it work: per playbook, the tasks it created, how they were closed, and for the churn
playbooks whether the customer ordered again. Two aggregate queries over the tasks a user may
see, whatever their number.

Ordered again: an order in the 60 days after the task was closed, or, for a task left open,
after the night that created it. Done tasks are set against those dropped or left open. Only
tasks whose 60 days have passed count; the others are "too recent to tell".
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import TruncDate

from accounts.models import Order
from accounts.selectors import account_list_visible_to
from playbooks.enums import CHURN_TRIGGERS, Outcome, TaskStatus
from playbooks.models import Playbook, Task
from users.models import User

REORDER_DAYS = 60


@dataclass(frozen=True)
class Share:
    """How many of `total` tasks' customers ordered again."""

    ordered: int = 0
    total: int = 0

    @property
    def pct(self) -> int | None:
        return round(100 * self.ordered / self.total) if self.total else None


@dataclass(frozen=True)
class Reorder:
    done: Share
    not_done: Share  # dropped or left open
    too_recent: int  # tasks whose 60 days have not passed yet


@dataclass(frozen=True)
class PlaybookResult:
    playbook: Playbook
    created: int = 0
    open: int = 0
    done: int = 0
    dropped: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # outcome label -> tasks
    reorder: Reorder | None = None


def _visible(user: User) -> QuerySet[Task]:
    return Task.objects.filter(account__in=account_list_visible_to(user=user))


def _counts(tasks: QuerySet[Task]) -> dict[int, dict[str, int]]:
    outcome_counts = {o.value: Count("pk", filter=Q(outcome=o.value)) for o in Outcome}
    rows = (
        tasks.order_by()
        .values("playbook_id")
        .annotate(
            created=Count("pk"),
            open=Count("pk", filter=Q(status=TaskStatus.OPEN)),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            dropped=Count("pk", filter=Q(status=TaskStatus.DROPPED)),
            **outcome_counts,
        )
    )
    return {row.pop("playbook_id"): row for row in rows}


def _anchor() -> Case:
    """The day the 60 days count from: the task's closing day, or the night that created an
    open one."""
    return Case(
        When(closed_at__isnull=False, then=TruncDate("closed_at")),
        default=F("fired_on"),
        output_field=DateField(),
    )


def _reorders(tasks: QuerySet[Task], *, today: dt.date) -> dict[int, Reorder]:
    window_end = ExpressionWrapper(
        OuterRef("anchor") + dt.timedelta(days=REORDER_DAYS), output_field=DateField()
    )
    ordered = Order.objects.filter(
        account=OuterRef("account_id"),
        ordered_on__gt=OuterRef("anchor"),
        ordered_on__lte=window_end,
    )
    matured = Q(anchor__lt=today - dt.timedelta(days=REORDER_DAYS))
    done, not_done = Q(status=TaskStatus.DONE), ~Q(status=TaskStatus.DONE)
    rows = (
        tasks.filter(playbook__trigger__in=CHURN_TRIGGERS)
        .annotate(anchor=_anchor())
        .annotate(ordered=Exists(ordered))
        .order_by()
        .values("playbook_id")
        .annotate(
            done_total=Count("pk", filter=matured & done),
            done_ordered=Count("pk", filter=matured & done & Q(ordered=True)),
            other_total=Count("pk", filter=matured & not_done),
            other_ordered=Count("pk", filter=matured & not_done & Q(ordered=True)),
            too_recent=Count("pk", filter=~matured),
        )
    )
    return {
        r["playbook_id"]: Reorder(
            Share(r["done_ordered"], r["done_total"]),
            Share(r["other_ordered"], r["other_total"]),
            r["too_recent"],
        )
        for r in rows
    }


def playbook_results(*, user: User, today: dt.date) -> list[PlaybookResult]:
    """Every playbook with the results of its tasks on the accounts `user` may see."""
    tasks = _visible(user)
    counts, reorders = _counts(tasks), _reorders(tasks, today=today)
    results = []
    for playbook in Playbook.objects.all():
        c = counts.get(playbook.pk, {})
        churn = playbook.is_about_churn
        empty = Reorder(Share(), Share(), 0)
        results.append(
            PlaybookResult(
                playbook,
                created=c.get("created", 0),
                open=c.get("open", 0),
                done=c.get("done", 0),
                dropped=c.get("dropped", 0),
                outcomes={str(o.label): c.get(o.value, 0) for o in Outcome},
                reorder=reorders.get(playbook.pk, empty) if churn else None,
            )
        )
    return results
