"""`export_portfolio`'s rows: each customer with its churn risk and segment from the latest
complete run. Starts from the one visibility rule in accounts.selectors."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import FilteredRelation, Q

from accounts.models import Account
from accounts.selectors import account_list_visible_to
from segmentation.enums import Programme
from segmentation.models import NightlyRun
from segmentation.segments.messages import reasons_text
from users.models import User

EXPORT_COLUMNS = (
    "external_id",
    "name",
    "owner_username",
    "segment",
    "churn_risk_score",
    "churn_risk_level",
    "flags",
    "revenue_12m",
    "gross_profit_12m",
    # Added by segmentation after the first nine, so scripts reading by position keep working.
    "segment_reasons",
    "in_programme",
    # Added with the learned probability, after those: the chance of no order in the run's
    # horizon (0-1, three decimals; churn_risk_score stays the hand weights' 0-100 score),
    # that chance x gross profit 12 months, and the money value admission ranked the account
    # by (blank outside any segment).
    "churn_probability",
    "expected_loss",
    "programme_value",
)


IN_PROGRAMME: dict[str, str] = {Programme.ADMITTED: "yes", Programme.WAITLISTED: "waitlisted"}


def _segment_columns(
    segment: str | None, reasons: list | None, programme: str | None, value: Decimal | None
) -> dict:
    """Blank segment columns for customers the run did not segment (inactive, or added since)."""
    return {
        "segment": segment or "",
        "segment_reasons": reasons_text(reasons or []),
        "in_programme": IN_PROGRAMME.get(programme or "", "no"),
        "programme_value": "" if value is None or not segment else value,
    }


def _blank(value: object) -> object:
    return "" if value is None else value


def portfolio_rows(*, user: User | None = None) -> Iterator[dict[str, Any]]:
    """One row per customer (visible to `user`, or all) with its risk from the latest run.

    Customers added since that run get blank risk columns. Streams: memory stays flat.
    """
    accounts = Account.objects.all() if user is None else account_list_visible_to(user=user)
    run = NightlyRun.objects.latest_complete()
    run_id = run.pk if run else None
    rows = (
        accounts.annotate(
            snap=FilteredRelation("risk_snapshots", condition=Q(risk_snapshots__run_id=run_id)),
            seg=FilteredRelation(
                "segment_assignments", condition=Q(segment_assignments__run_id=run_id)
            ),
        )
        .order_by("external_id")
        .values_list(
            "external_id",
            "name",
            "owner__username",
            "snap__score",
            "snap__level",
            "snap__flags",
            "snap__revenue_12m",
            "snap__gross_profit_12m",
            "snap__probability",
            "snap__expected_loss",
            "seg__segment",
            "seg__reasons",
            "seg__programme",
            "seg__programme_value",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        ext, name, owner, score, level, flags, revenue, gp, probability, loss, *seg = row
        yield {
            "external_id": ext,
            "name": name,
            "owner_username": owner or "",
            **_segment_columns(*seg),
            "churn_risk_score": _blank(score),
            "churn_risk_level": level or "",
            "flags": ";".join(flag["code"] for flag in flags or []),
            "revenue_12m": _blank(revenue),
            "gross_profit_12m": _blank(gp),
            "churn_probability": _blank(probability),
            "expected_loss": _blank(loss),
        }
