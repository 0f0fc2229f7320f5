"""The audit log's entries: who changed what and when, gathered from the histories the other
apps keep (django-simple-history records, versions that are never changed, nightly runs).

Each source gives its newest entries before a moment; the page merges them by time. Bulk paths
(the nightly run, imports) appear as one entry per run, not one per row they wrote. Sources
about one account are also shown to the sales managers who may see that account; the others
(settings, capacities, decision-model versions, runs) to admins only.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Account
from assessments.models import AssessmentSettings
from kam_portal.formats import day
from segmentation.churn.models import RiskSettings
from segmentation.enums import Segment
from segmentation.models import (
    DecisionModelVersion,
    ManagerCapacity,
    NightlyRun,
    SegmentPin,
    SegmentSettings,
)


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    who: str  # a person, or the process that made the change
    what: str  # one line: the kind of change and its object
    link: str | None = None
    changes: tuple[str, ...] = ()  # "field: before → after"
    reason: str = ""
    account_id: int | None = None  # set on entries about one account


# A source: (before, limit, account ids it may show or None for all) -> newest entries first.
Source = Callable[[dt.datetime, int, "QuerySet[Account] | None"], list[AuditEntry]]


@dataclass(frozen=True)
class Registered:
    source: Source
    per_account: bool  # sales managers see it, for their accounts


SOURCES: list[Registered] = []


def register(*, per_account: bool) -> Callable[[Source], Source]:
    def add(source: Source) -> Source:
        SOURCES.append(Registered(source, per_account))
        return source

    return add


def _who(user: Any) -> str:
    return str(user) if user is not None else _("the system")


def _value(model: type[Model], name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    choices = dict(getattr(model._meta.get_field(name), "choices", None) or ())
    return str(choices.get(value, value))


def _label(model: type[Model], name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _diff(model: type[Model], newer: Any, older: Any) -> tuple[str, ...]:
    delta = newer.diff_against(older)
    arrow = pgettext("from one value to the next", "→")  # "←" in a right-to-left language
    return tuple(
        f"{_label(model, c.field)}: "
        f"{_value(model, c.field, c.old)} {arrow} {_value(model, c.field, c.new)}"
        for c in delta.changes
    )


def _settings_source(model: type[Model], title: Callable[[], str], link: str) -> Source:
    """Changes to a one-row settings table, each with the fields it changed."""

    def entries(before: dt.datetime, limit: int, _accounts: Any) -> list[AuditEntry]:
        records = list(
            model.history.filter(history_date__lt=before)  # type: ignore[attr-defined]
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[: limit + 1]
        )
        found = []
        for i, newer in enumerate(records):
            older = records[i + 1] if i + 1 < len(records) else None
            if older is None and len(records) > limit:
                break  # its predecessor is past the window: shown on an older page
            changes = _diff(model, newer, older) if older is not None else ()
            what = (
                title() if older is not None else _("%(title)s: first saved") % {"title": title()}
            )
            found.append(
                AuditEntry(
                    newer.history_date, _who(newer.history_user), what, reverse(link), changes
                )
            )
        return found

    return entries


register(per_account=False)(
    _settings_source(RiskSettings, lambda: _("Churn-risk settings"), "risk:settings")
)
register(per_account=False)(
    _settings_source(SegmentSettings, lambda: _("Segment settings"), "segments:settings")
)
register(per_account=False)(
    _settings_source(
        AssessmentSettings,
        lambda: _("Assessment settings"),
        "admin:assessments_assessmentsettings_changelist",
    )
)


@register(per_account=False)
def capacity_changes(before: dt.datetime, limit: int, _accounts: Any) -> list[AuditEntry]:
    records = (
        ManagerCapacity.history.filter(history_date__lt=before)
        .select_related("history_user", "user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    link = reverse("segments:capacity")
    found = []
    for r in records:
        if r.history_type == "-":
            what = _("Capacity of %(person)s: back to the default") % {"person": r.user}
        else:
            what = _("Capacity of %(person)s: %(capacity)s") % {
                "person": r.user,
                "capacity": r.capacity,
            }
        found.append(AuditEntry(r.history_date, _who(r.history_user), what, link))
    return found


@register(per_account=True)
def pin_changes(before: dt.datetime, limit: int, accounts: Any) -> list[AuditEntry]:
    records = SegmentPin.history.filter(history_date__lt=before)
    if accounts is not None:
        records = records.filter(account_id__in=accounts.order_by().values("pk"))
    records = records.select_related("history_user", "account").order_by(
        "-history_date", "-history_id"
    )[:limit]
    found = []
    for r in records:
        link = reverse("accounts:detail", args=[r.account_id])
        if r.history_type == "+":
            what = _("Pinned %(account)s to %(segment)s until %(day)s") % {
                "account": r.account,
                "segment": Segment(r.segment).label,
                "day": day(r.expires_on),
            }
        elif r.ended_at is not None:
            what = _("Ended the pin of %(account)s") % {"account": r.account}
        else:
            continue  # an edit that is neither: nothing a person changed
        found.append(
            AuditEntry(r.history_date, _who(r.history_user), what, link, (), r.reason, r.account_id)
        )
    return found


@register(per_account=False)
def decision_versions(before: dt.datetime, limit: int, _accounts: Any) -> list[AuditEntry]:
    versions = (
        DecisionModelVersion.objects.filter(created_at__lt=before)
        .select_related("created_by")
        .order_by("-created_at")[:limit]
    )
    link = reverse("segments:decision_model")
    return [
        AuditEntry(
            v.created_at,
            _who(v.created_by),
            _("Saved decision model version %(number)s") % {"number": v.number},
            link,
        )
        for v in versions
    ]


@register(per_account=False)
def nightly_runs(before: dt.datetime, limit: int, _accounts: Any) -> list[AuditEntry]:
    """One entry per run: the run wrote every customer's rows; its page tells the rest."""
    runs = NightlyRun.objects.filter(started_at__lt=before).order_by("-started_at")[:limit]
    return [
        AuditEntry(
            run.started_at,
            _("the nightly run"),
            _("Nightly run as of %(day)s: %(status)s, %(customers)s customers")
            % {
                "day": day(run.as_of),
                "status": run.get_status_display(),
                "customers": run.customers,
            },
            reverse("risk:run", args=[run.pk]),
        )
        for run in runs
    ]


@dataclass
class AuditPage:
    entries: list[AuditEntry] = field(default_factory=list)
    older: dt.datetime | None = None  # where the next page starts, if there is one


def audit_page(
    *, before: dt.datetime, limit: int, accounts: "QuerySet[Account] | None"
) -> AuditPage:
    """The newest `limit` entries before `before`; `accounts` limits the log to the sources
    about single accounts and to those accounts (a sales manager's view), None shows all."""
    sources: Iterable[Registered] = SOURCES
    if accounts is not None:
        sources = [s for s in SOURCES if s.per_account]
    merged = sorted(
        (entry for s in sources for entry in s.source(before, limit + 1, accounts)),
        key=lambda e: e.at,
        reverse=True,
    )
    page = merged[:limit]
    older = page[-1].at if len(merged) > limit and page else None
    return AuditPage(page, older)
