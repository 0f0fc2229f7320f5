"""The dashboard's charts as data: Chart.js configurations (drawn by static/js/dashboard.js from
`json_script`, so no inline script), each with the same numbers as a table, and with the link
of every bar to the account list filtered to exactly the accounts behind it."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kam_portal.formats import money
from plans.enums import PlanFilter
from portfolio.dashboard import Dashboard, MonthSeries, OwnerRow
from portfolio.filters import AT_STAKE, NO_SEGMENT, PortfolioFilters, risk_within
from segmentation.enums import Programme, RiskLevel, Segment

COLOURS = {
    Segment.DEFEND: "#dc3545",
    Segment.STRATEGIC: "#0d6efd",
    Segment.GROW: "#198754",
    "": "#6c757d",
    RiskLevel.HIGH: "#dc3545",
    RiskLevel.MEDIUM: "#fd7e14",
    RiskLevel.LOW: "#198754",
    "current": "#198754",
    "overdue": "#dc3545",
}
SEGMENT_ORDER = [Segment.STRATEGIC, Segment.GROW, Segment.DEFEND, ""]


def list_url(filters: PortfolioFilters, **narrower: str | int) -> str:
    """The account list showing `filters` narrowed further (a value of "" widens it again)."""
    params: dict[str, str | int] = {
        "team": filters.team.pk if filters.team else "",
        "owner": filters.owner.pk if filters.owner else "",
        "segment": filters.segment,
        "industry": filters.industry,
        "risk": filters.risk,
        "programme": filters.programme,
        "coverage": filters.coverage,
        "plan": filters.plan,
    }
    params |= narrower
    query = urlencode({k: v for k, v in params.items() if v not in ("", None)})
    return reverse("accounts:list") + (f"?{query}" if query else "")


def risk_list_url(filters: PortfolioFilters, risk: str, **narrower: str | int) -> str | None:
    """The list of the accounts at `risk` among those `filters` select; None when there are
    none by construction ("low" under a "high or medium" filter): no list shows exactly them,
    and the dashboard counts 0 there."""
    within = risk_within(filters.risk, risk)
    return None if within is None else list_url(filters, risk=within, **narrower)


def _segment_label(segment: str) -> str:
    return str(Segment(segment).label) if segment else _("No segment")


def _segment_param(segment: str) -> str:
    return segment or NO_SEGMENT


Cell = tuple[str, str | None]  # a table cell: its text, and where it links (or None)


@dataclass
class Chart:
    """One chart: its Chart.js data and the table a screen reader (or anyone) can read."""

    key: str
    title: str
    config: dict[str, Any]
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def _number(value: Decimal | int) -> float:
    return float(value)


def month_chart(series: MonthSeries, filters: PortfolioFilters, *, measure: str) -> Chart:
    """Revenue or gross profit per month, stacked by segment."""
    values = series.revenue if measure == "revenue" else series.gross_profit
    labels = [date_format(m, "M Y") for m in series.months]
    keys = [k for k in SEGMENT_ORDER if any(values[k])]
    datasets = [
        {
            "label": _segment_label(k),
            "data": [_number(v) for v in values[k]],
            "backgroundColor": COLOURS[k],
            "link": list_url(filters, segment=_segment_param(k)),
        }
        for k in keys
    ]
    title = (
        _("Revenue by month and segment")
        if measure == "revenue"
        else _("Gross profit by month and segment")
    )
    rows: list[list[Cell]] = [
        [(label, None), *((money(values[k][i]), None) for k in keys)]
        for i, label in enumerate(labels)
    ]
    config = {"type": "bar", "labels": labels, "datasets": datasets, "stacked": True}
    return Chart(f"months-{measure}", title, config, [_("Month"), *map(_segment_label, keys)], rows)


def risk_chart(board: Dashboard, filters: PortfolioFilters) -> Chart:
    """Accounts per churn-risk level; the table adds their gross profit and expected loss."""
    levels = [RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW]
    rows_by = {lv: board.risk.level(lv) for lv in levels}
    links = [risk_list_url(filters, lv) for lv in levels]
    config = {
        "type": "bar",
        "labels": [str(RiskLevel(lv).label) for lv in levels],
        "datasets": [
            {
                "label": _("Accounts"),
                "data": [rows_by[lv].accounts for lv in levels],
                "backgroundColor": [COLOURS[lv] for lv in levels],
                "links": links,
            }
        ],
    }
    rows: list[list[Cell]] = [
        [
            (str(RiskLevel(lv).label), link),
            (str(rows_by[lv].accounts), link),
            (money(rows_by[lv].gross_profit_12m), None),
            (money(rows_by[lv].expected_loss), None),
        ]
        for lv, link in zip(levels, links, strict=True)
    ]
    headers = [_("Churn risk"), _("Accounts"), _("Gross profit, 12 months"), _("Expected loss")]
    return Chart("risk-levels", _("Accounts by churn risk"), config, headers, rows)


def _owner_name(row: OwnerRow) -> str:
    return str(row.owner) if row.owner else _("No account manager")


def _owner_param(row: OwnerRow) -> int | str:
    return row.owner.pk if row.owner else ""


def segment_mix_chart(board: Dashboard, filters: PortfolioFilters) -> Chart:
    """Each account manager's accounts, stacked by segment."""
    owners = [r for r in board.owners if r.segments]
    keys = [k for k in SEGMENT_ORDER if any(r.segments.get(k) for r in owners)]
    datasets = [
        {
            "label": _segment_label(k),
            "data": [r.segments.get(k, 0) for r in owners],
            "backgroundColor": COLOURS[k],
            "links": [
                list_url(filters, owner=_owner_param(r), segment=_segment_param(k)) for r in owners
            ],
        }
        for k in keys
    ]
    rows: list[list[Cell]] = [
        [(_owner_name(r), None), *((str(r.segments.get(k, 0)), None) for k in keys)] for r in owners
    ]
    config = {
        "type": "bar",
        "labels": [_owner_name(r) for r in owners],
        "datasets": datasets,
        "stacked": True,
        "horizontal": True,
    }
    headers = [_("Account manager"), *map(_segment_label, keys)]
    return Chart("segment-mix", _("Segment mix per account manager"), config, headers, rows)


def coverage_chart(board: Dashboard, filters: PortfolioFilters) -> Chart:
    """Each account manager's programme accounts: assessment up to date, or overdue."""
    owners = [r for r in board.owners if r.coverage.programme]
    states = [("current", _("Assessment up to date")), ("overdue", _("Assessment overdue"))]
    datasets = [
        {
            "label": label,
            "data": [getattr(r.coverage, state) for r in owners],
            "backgroundColor": COLOURS[state],
            "links": [
                list_url(
                    filters,
                    owner=_owner_param(r),
                    programme=Programme.ADMITTED,
                    coverage=state,
                )
                for r in owners
            ],
        }
        for state, label in states
    ]
    rows: list[list[Cell]] = [
        [
            (_owner_name(r), None),
            (str(r.coverage.current), None),
            (str(r.coverage.overdue), None),
            (f"{r.coverage.current_pct}%", None),
        ]
        for r in owners
    ]
    config = {
        "type": "bar",
        "labels": [_owner_name(r) for r in owners],
        "datasets": datasets,
        "stacked": True,
        "horizontal": True,
    }
    headers = [_("Account manager"), _("Up to date"), _("Overdue"), _("Coverage")]
    title = _("Assessment coverage per account manager")
    return Chart("coverage", title, config, headers, rows)


def trend_chart(board: Dashboard) -> Chart:
    """High-risk accounts per nightly run."""
    labels = [date_format(day, "SHORT_DATE_FORMAT") for day, _n in board.trend]
    counts = [n for _day, n in board.trend]
    config = {
        "type": "line",
        "labels": labels,
        "datasets": [
            {
                "label": _("High-risk accounts"),
                "data": counts,
                "borderColor": COLOURS[RiskLevel.HIGH],
                "backgroundColor": COLOURS[RiskLevel.HIGH],
            }
        ],
    }
    rows: list[list[Cell]] = [
        [(label, None), (str(n), None)] for label, n in zip(labels, counts, strict=True)
    ]
    headers = [_("Nightly run"), _("High-risk accounts")]
    title = _("High-risk accounts per nightly run")
    return Chart("trend", title, config, headers, rows)


def dashboard_charts(board: Dashboard, filters: PortfolioFilters) -> list[Chart]:
    if board.run is None or board.months is None:
        return []
    return [
        month_chart(board.months, filters, measure="revenue"),
        month_chart(board.months, filters, measure="gross_profit"),
        risk_chart(board, filters),
        segment_mix_chart(board, filters),
        coverage_chart(board, filters),
        trend_chart(board),
    ]


def figure_links(filters: PortfolioFilters) -> dict[str, str | None]:
    """Where each headline figure leads: the accounts it counts or sums (None: no account)."""
    return {
        "accounts": list_url(filters),
        "at_stake": risk_list_url(filters, AT_STAKE, sort="-gross_profit_at_stake"),
        "expected_loss": list_url(filters, sort="-at_stake"),
        "admitted": list_url(filters, programme=Programme.ADMITTED),
        "waitlisted": list_url(filters, programme=Programme.WAITLISTED),
        "current": list_url(filters, programme=Programme.ADMITTED, coverage="current"),
        "overdue": list_url(filters, programme=Programme.ADMITTED, coverage="overdue"),
        "scored": list_url(filters, coverage="scored"),
        "without_plan": list_url(filters, programme=Programme.ADMITTED, plan=PlanFilter.NONE),
        "review_overdue": list_url(filters, plan=PlanFilter.REVIEW_OVERDUE),
    }
