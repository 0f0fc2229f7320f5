"""A plan's history for people to read: who changed what and when, across the plan, its goals
and its actions (simple_history's records, removed goals and actions included), newest first.
Four queries whatever the length of the history."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import models
from django.utils.translation import gettext as _

from kam_portal.formats import day, money
from plans.enums import AMOUNT_KINDS, ActionStatus, GoalKind
from plans.models import Action, Goal, GrowthPlan
from users.models import User

# The fields a person changes, per model, in the order they are shown.
SHOWN = {
    GrowthPlan: ["review_on", "summary"],
    Goal: ["kind", "target", "starts_on", "ends_on", "category", "text"],
    Action: ["title", "owner", "due_on", "status", "outcome", "closed_on"],
}
TEXT_SHOWN = 120  # characters of a long text shown in the history


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    who: User | None
    what: str  # "created", "changed" or "removed", in the reader's language
    subject: str  # the goal, action or plan, described
    changes: list[Change] = field(default_factory=list)


def plan_history(*, plan: GrowthPlan, limit: int = 50) -> list[HistoryEntry]:
    """The newest `limit` changes to `plan`, its goals and its actions."""
    batches = [
        GrowthPlan.history.filter(id=plan.pk),
        Goal.history.filter(plan_id=plan.pk),
        Action.history.filter(plan_id=plan.pk),
    ]
    loaded = [
        list(b.select_related("history_user").order_by("history_date", "history_id"))
        for b in batches
    ]
    owners = User.objects.in_bulk({r.owner_id for r in loaded[2]})
    entries: list[HistoryEntry] = []
    for model, records in zip(SHOWN, loaded, strict=True):
        entries += _entries(model, records, owners=owners)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _entries(
    model: type[models.Model], records: Iterable[Any], *, owners: dict[int, User]
) -> list[HistoryEntry]:
    """One entry per record, each compared with the record before it of the same object."""
    last: dict[int, Any] = {}
    entries = []
    for record in records:
        before = last.get(record.id)
        changes = [] if record.history_type == "-" else _changes(model, before, record, owners)
        if record.history_type == "~" and not changes:
            last[record.id] = record
            continue  # saved without a change a reader would see
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                what=_what(record.history_type),
                subject=_subject(model, record, owners),
                changes=changes,
            )
        )
        last[record.id] = record
    return entries


def _what(history_type: str) -> str:
    return {"+": _("created"), "-": _("removed")}.get(history_type, _("changed"))


def _changes(
    model: type[models.Model], before: Any, after: Any, owners: dict[int, User]
) -> list[Change]:
    changes = []
    for name in SHOWN[model]:
        old = _value(model, name, before, owners) if before is not None else ""
        new = _value(model, name, after, owners)
        if old != new:
            label = str(cast(models.Field, model._meta.get_field(name)).verbose_name)
            changes.append(Change(label[:1].upper() + label[1:], old, new))
    return changes


def _value(model: type[models.Model], name: str, record: Any, owners: dict[int, User]) -> str:
    """A field's value as a reader sees it: dates day first, money with its sign, labels."""
    if name == "owner":
        owner = owners.get(record.owner_id)
        return str(owner) if owner is not None else ""
    value = getattr(record, name)
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return day(value)
    if name == "target":
        return money(value)
    if name == "kind":
        return str(GoalKind(value).label)
    if name == "status":
        return str(ActionStatus(value).label)
    text = str(value)
    return text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1] + "…"


def _subject(model: type[models.Model], record: Any, owners: dict[int, User]) -> str:
    if model is GrowthPlan:
        return _("The plan")
    if model is Action:
        return _("Action: %(title)s") % {"title": record.title}
    return _("Goal: %(goal)s") % {"goal": goal_label(record)}


def goal_label(goal: Any) -> str:
    """A goal in a few words: "Revenue ₪500,000, 01/01/2027 – 31/12/2027"; works on a Goal and
    on its historical record."""
    if goal.kind in AMOUNT_KINDS:
        return _("%(kind)s %(target)s, %(start)s – %(end)s") % {
            "kind": GoalKind(goal.kind).label,
            "target": money(goal.target),
            "start": day(goal.starts_on),
            "end": day(goal.ends_on),
        }
    if goal.kind == GoalKind.CATEGORY:
        return _("Start buying %(category)s by %(day)s") % {
            "category": goal.category,
            "day": day(goal.ends_on),
        }
    text = str(goal.text)
    return text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1] + "…"
