"""Reads of segments: the settings and decision model as the rules' configuration, the
decisions of every customer (the nightly run and the preview), and segments and the programme
from the latest complete run. Every list starts from the one visibility rule in
accounts.selectors."""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Account
from accounts.selectors import account_list_visible_to
from segmentation.enums import AdmissionRule, Programme
from segmentation.models import (
    DecisionModelVersion,
    ManagerCapacity,
    NightlyRun,
    SegmentAssignment,
    SegmentPin,
    SegmentSettings,
)
from segmentation.segments.capacity import Candidate, admission_what_if, overloaded
from segmentation.segments.decision import MEASURES, DecisionModel
from segmentation.segments.evaluate import Decision, evaluate
from segmentation.segments.measures import customer_measures
from segmentation.segments.rules import Measures, SegmentConfig
from users.models import User
from users.selectors import account_managers_visible_to


def segment_config_from(row: SegmentSettings) -> SegmentConfig:
    return SegmentConfig(
        precedence=tuple(row.precedence.split(",")),
        potential_share_max_pct=row.potential_share_max_pct,
        rising_trend_pct=row.rising_trend_pct,
        peer_share_pct=row.peer_share_pct,
        min_peers=row.min_peers,
    )


def decision_version_latest() -> DecisionModelVersion | None:
    return DecisionModelVersion.objects.order_by("-number").first()


def decision_model_from(version: DecisionModelVersion | None, **changes: Any) -> DecisionModel:
    data: dict[str, Any] = {}
    if version is not None:
        data = {
            "weights": version.weights,
            "mode": version.mode,
            "percentile": version.percentile,
            "thresholds": version.thresholds,
            "version": version.number,
        }
    data |= changes
    return DecisionModel(
        weights={m: float(w) for m, w in data["weights"].items() if m in MEASURES and float(w)},
        mode=data["mode"],
        percentile=float(data["percentile"]),
        thresholds={
            m: Decimal(str(v)) for m, v in data["thresholds"].items() if v not in (None, "")
        },
        version=data.get("version"),
    )


def pins_active(*, on: dt.date) -> dict[int, SegmentPin]:
    """The newest unexpired, unremoved pin per account."""
    pins: dict[int, SegmentPin] = {}
    rows = SegmentPin.objects.in_force(on=on).order_by("account_id", "-created_at", "-id")
    for pin in rows.only("id", "account_id", "segment"):
        pins.setdefault(pin.account_id, pin)
    return pins


@dataclass(frozen=True)
class Inputs:
    as_of: dt.date
    run_id: int | None
    config: SegmentConfig
    model: DecisionModel
    pins: dict[int, SegmentPin]
    version_id: int | None = None
    staged: bool = False  # the run's chunks wrote its order measures (SegmentMeasureStage)


def segment_decisions(inputs: Inputs) -> Iterator[tuple[Measures, Decision]]:
    """Every active customer's measures and decision, streamed by account manager, then id."""
    measures = customer_measures(
        as_of=inputs.as_of,
        run_id=inputs.run_id,
        c=inputs.config,
        model=inputs.model,
        staged=inputs.staged,
    )
    for m in measures:
        pin = inputs.pins.get(m.account_id)
        yield m, evaluate(m, c=inputs.config, model=inputs.model, pin=pin.segment if pin else None)


def with_segment(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """Annotate `segment` and `programme` from the latest complete run (subqueries, no extra
    query)."""
    latest = SegmentAssignment.objects.filter(
        account=OuterRef("pk"), run_id=NightlyRun.objects.latest_complete_id()
    )
    return accounts.annotate(
        segment=Subquery(latest.values("segment")[:1]),
        programme=Subquery(latest.values("programme")[:1]),
    )


def filter_segment(accounts: QuerySet[Account], segment: str) -> QuerySet[Account]:
    """The accounts the latest complete run put in `segment` ("" : in none; accounts the run did
    not segment, such as inactive or newer ones, have none either)."""
    latest = SegmentAssignment.objects.filter(run_id=NightlyRun.objects.latest_complete_id())
    if segment:
        return accounts.filter(pk__in=latest.filter(segment=segment).values("account_id"))
    return accounts.exclude(pk__in=latest.exclude(segment="").values("account_id"))


def filter_programme(accounts: QuerySet[Account], programme: str) -> QuerySet[Account]:
    """The accounts with that place in the latest run's programme (admitted, waitlisted, or
    not a candidate: the last also covers the accounts the run did not segment)."""
    latest = SegmentAssignment.objects.filter(run_id=NightlyRun.objects.latest_complete_id())
    if programme != Programme.NO:
        return accounts.filter(pk__in=latest.filter(programme=programme).values("account_id"))
    placed = latest.exclude(programme=Programme.NO).values("account_id")
    return accounts.exclude(pk__in=placed)


def segment_assignment_for_account(*, account: Account) -> SegmentAssignment | None:
    """The account's assignment in the latest complete run (the caller has checked visibility)."""
    return (
        SegmentAssignment.objects.filter(
            account=account, run_id=NightlyRun.objects.latest_complete_id()
        )
        .select_related("run", "decision_version", "pin", "pin__created_by")
        .first()
    )


def segment_pin_in_force(*, account: Account) -> SegmentPin | None:
    """The pin that applies from the next run: newest unexpired, unremoved."""
    return (
        SegmentPin.objects.in_force(on=timezone.localdate())
        .filter(account=account)
        .select_related("created_by")
        .first()
    )


def account_segments_of(*, account_ids: Iterable[int]) -> dict[int, str | None]:
    rows = SegmentAssignment.objects.filter(
        run_id=NightlyRun.objects.latest_complete_id(), account_id__in=list(account_ids)
    ).values_list("account_id", "segment")
    return {pk: segment or None for pk, segment in rows}


def strategic_count_of(*, user: User) -> int | None:
    """Strategic accounts `user` owns in the latest complete run; None before any run."""
    run = NightlyRun.objects.latest_complete()
    if run is None:
        return None
    return SegmentAssignment.objects.filter(
        run=run, account__owner=user, segment="strategic"
    ).count()


def programme_ids() -> "QuerySet[SegmentAssignment, Any]":
    """The admitted accounts' ids in the latest complete run (a subquery; none before it)."""
    return SegmentAssignment.objects.filter(
        run_id=NightlyRun.objects.latest_complete_id(), programme=Programme.ADMITTED
    ).values("account_id")


def programme_accounts_of(*, user: User) -> QuerySet[Account]:
    """The admitted accounts of the latest complete run that `user` may see; before the first
    run, every visible account (so assessments can start on day one)."""
    admitted = SegmentAssignment.objects.filter(
        run_id=NightlyRun.objects.latest_complete_id(), programme=Programme.ADMITTED
    )
    no_run_yet = ~Exists(NightlyRun.objects.complete())
    return account_list_visible_to(user=user).filter(
        no_run_yet | Q(pk__in=admitted.values("account_id"))
    )


@dataclass
class ManagerLoad:
    """One account manager's programme: `capacity` is today's setting (the next run admits by
    it); the rest comes from the latest complete run, as of `run_as_of`, which admitted by
    `run_capacity` (None for a manager that run gave no candidate)."""

    manager: User
    capacity: int
    admitted: int = 0
    waitlisted: int = 0
    waitlist: list[SegmentAssignment] = field(default_factory=list)
    run_capacity: int | None = None
    run_as_of: dt.date | None = None

    @property
    def candidates(self) -> int:
        return self.admitted + self.waitlisted

    @property
    def overloaded(self) -> bool:
        return overloaded(candidates=self.candidates, capacity=self.capacity)

    @property
    def capacity_changed(self) -> bool:
        """Today's capacity is not the one the latest run admitted by."""
        return self.run_capacity is not None and self.run_capacity != self.capacity


def manager_loads(*, user: User, default_capacity: int) -> list[ManagerLoad]:
    """Capacity, load and waitlist count per visible account manager (three queries)."""
    managers = list(
        account_managers_visible_to(user=user).select_related("team").order_by("username")
    )
    overrides = dict(
        ManagerCapacity.objects.filter(user__in=managers).values_list("user_id", "capacity")
    )
    loads = {m.pk: ManagerLoad(m, overrides.get(m.pk, default_capacity)) for m in managers}
    counts = (
        SegmentAssignment.objects.filter(
            run_id=NightlyRun.objects.latest_complete_id(), owner_id__in=loads
        )
        .values_list("owner_id")
        .annotate(
            admitted=Count("pk", filter=Q(programme=Programme.ADMITTED)),
            waitlisted=Count("pk", filter=Q(programme=Programme.WAITLISTED)),
            # The run stores the capacity it admitted by on each of the manager's candidates.
            run_capacity=Max("capacity"),
            run_as_of=Max("run__as_of"),
        )
    )
    for owner_id, admitted, waitlisted, run_capacity, run_as_of in counts:
        load = loads[owner_id]
        load.admitted, load.waitlisted = admitted, waitlisted
        load.run_capacity, load.run_as_of = run_capacity, run_as_of
    return list(loads.values())


def candidates_of(*, manager: User) -> list[SegmentAssignment]:
    """The manager's candidates in the latest run, in admission order."""
    return candidates_by_manager(managers=[manager]).get(manager.pk, [])


def candidates_by_manager(*, managers: list[User]) -> dict[int, list[SegmentAssignment]]:
    """Candidates of each manager in the latest run, in admission order (one query)."""
    rows = (
        SegmentAssignment.objects.filter(
            run_id=NightlyRun.objects.latest_complete_id(), owner__in=managers
        )
        .exclude(programme=Programme.NO)
        .select_related("account")
        .order_by("owner_id", "programme_rank")
    )
    result: dict[int, list[SegmentAssignment]] = {}
    for row in rows:
        owner_id = cast(int, row.owner_id)  # never None: filtered by owner above
        result.setdefault(owner_id, []).append(row)
    return result


@dataclass(frozen=True)
class WhatIfResult:
    manager: User
    current: int
    proposed: int
    entering: list[SegmentAssignment]
    leaving: list[SegmentAssignment]
    rule: str = AdmissionRule.VALUE  # the rule the proposal ranks by
    run_rule: str = ""  # the rule the run admitted by ("" : no candidate)


def _candidate(a: SegmentAssignment) -> Candidate:
    value = a.programme_value if a.programme_value is not None else Decimal(0)
    return Candidate(a.account_id, a.precedence_rank, a.value_at_stake, value)


def capacity_what_if_for(
    *, manager: User, current: int, proposed: int, rule: str | None = None
) -> WhatIfResult:
    """Which of the manager's accounts would enter or leave the programme at `proposed`,
    ranked by `rule` (default: the rule the run admitted by).

    Starts from the latest run's ranking and the capacity that run admitted by (`current` only
    when the run ranked no candidate); the next run re-ranks with fresh data."""
    ranked = [a for a in candidates_of(manager=manager) if a.programme_rank is not None]
    if ranked and ranked[0].capacity is not None:
        current = ranked[0].capacity
    run_rule = ranked[0].admission_rule if ranked else ""
    chosen = rule or run_rule or AdmissionRule.VALUE
    by_id = {a.account_id: a for a in ranked}
    change = admission_what_if(
        [_candidate(a) for a in ranked], current=current, proposed=proposed, rule=chosen
    )
    return WhatIfResult(
        manager,
        current,
        proposed,
        [by_id[pk] for pk in change.entering],
        [by_id[pk] for pk in change.leaving],
        chosen,
        run_rule,
    )
