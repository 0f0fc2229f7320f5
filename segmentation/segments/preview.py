"""What a decision-model change would do, computed without writing anything.

The candidate model segments the latest complete run's customers (same date, same churn
snapshot, same pins, current settings) in memory; the result is compared with the segments that
run stored.
"""

from dataclasses import dataclass, field

from accounts.models import Account
from accounts.selectors import account_list_visible_to
from segmentation.enums import Segment
from segmentation.models import NightlyRun, SegmentAssignment, SegmentSettings
from segmentation.segments.decision import DecisionModel
from segmentation.segments.messages import segment_label
from segmentation.segments.selectors import (
    Inputs,
    pins_active,
    segment_config_from,
    segment_decisions,
)
from users.models import User


@dataclass
class SegmentChange:
    segment: str
    before: int = 0
    after: int = 0
    entering: list[int] = field(default_factory=list)
    leaving: list[int] = field(default_factory=list)
    shown_entering: list[Account] = field(default_factory=list)
    shown_leaving: list[Account] = field(default_factory=list)

    @property
    def label(self) -> str:
        return segment_label(self.segment)


@dataclass
class Preview:
    run: NightlyRun
    changes: list[SegmentChange]

    @property
    def changed(self) -> int:
        return sum(len(c.entering) for c in self.changes)


def segment_changes(
    before: dict[int, str],
    after: dict[int, str],
    *,
    segments: tuple[str, ...] = tuple(Segment.values),
) -> list[SegmentChange]:
    """Per segment, who enters and who leaves between two {account_id: segment} maps (pure)."""
    changes = {s: SegmentChange(s) for s in segments}
    for pk in sorted(before.keys() | after.keys()):
        old, new = before.get(pk, ""), after.get(pk, "")
        if old in changes:
            changes[old].before += 1
        if new in changes:
            changes[new].after += 1
        if old != new:
            if new in changes:
                changes[new].entering.append(pk)
            if old in changes:
                changes[old].leaving.append(pk)
    return list(changes.values())


def _attach_accounts(changes: list[SegmentChange], *, user: User, limit: int) -> None:
    """The first `limit` accounts of each list `user` may see, fetched in one query."""
    wanted = {pk for c in changes for pk in c.entering[:limit] + c.leaving[:limit]}
    accounts = account_list_visible_to(user=user).in_bulk(wanted)
    for c in changes:
        c.shown_entering = [accounts[pk] for pk in c.entering[:limit] if pk in accounts]
        c.shown_leaving = [accounts[pk] for pk in c.leaving[:limit] if pk in accounts]


def decision_model_preview(*, model: DecisionModel, user: User, limit: int = 20) -> Preview | None:
    """None before the first complete run (there is nothing to compare with)."""
    run = NightlyRun.objects.latest_complete()
    if run is None:
        return None
    before = dict(SegmentAssignment.objects.filter(run=run).values_list("account_id", "segment"))
    inputs = Inputs(
        as_of=run.as_of,
        run_id=run.pk,
        config=segment_config_from(SegmentSettings.load()),
        model=model,
        pins=pins_active(on=run.as_of),
    )
    after = {m.account_id: d.segment or "" for m, d in segment_decisions(inputs)}
    changes = segment_changes(before, after)
    _attach_accounts(changes, user=user, limit=limit)
    return Preview(run, changes)
